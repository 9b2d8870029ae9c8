/** `invalid_template`: the template itself is wrong; `render_failed`: this data could not fill it. */
export type TemplateErrorCode = 'invalid_template' | 'render_failed';

/** A template that does not compile, or could not be rendered with the data given. */
export class TemplateError extends Error {
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}
