export { AllExceptionsFilter } from './all-exceptions.filter';
export { ApiError } from './api-error';
export type { ApiErrorBody } from './api-error';
export { bodyParsers } from './body-parsers';
export { ZodValidationPipe } from './zod-validation.pipe';
export { commaSeparated } from './comma-separated';
export { API_DOC_KEY, ApiDoc } from './openapi/api-doc.decorator';
export type { ApiDocOptions, ApiDocResponse } from './openapi/api-doc.decorator';
