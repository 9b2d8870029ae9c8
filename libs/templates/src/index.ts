export { TemplateError, type TemplateErrorCode } from './template-error';
export { TemplateRenderer, type TemplateRendererOptions } from './template-renderer';
