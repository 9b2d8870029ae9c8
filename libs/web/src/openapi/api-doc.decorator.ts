import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

export const API_DOC_KEY = 'rampart:api-doc';

export interface ApiDocResponse {
  description: string;
  /** A zod schema (turned into JSON Schema) or a JSON Schema object. */
  schema?: z.ZodType | Record<string, unknown>;
  /** Default application/json. */
  contentType?: string;
}

/**
 * What the OpenAPI document says of one route beyond what the code already tells: the
 * parameters and JSON body come from the route's zod pipes, the roles from its permission.
 */
export interface ApiDocOptions {
  summary: string;
  description?: string;
  /** Successful answers by status code. */
  responses: Record<number, string | ApiDocResponse>;
  /**
   * Error statuses the route answers besides those implied (400 when a pipe validates input,
   * 401 and 403 unless the route is public).
   */
  errors?: number[];
  /** Request headers the route reads. */
  headers?: { name: string; description: string; pattern?: string }[];
  /**
   * false for a POST (PUT, PATCH, DELETE) that changes nothing (a validation, a preview): published
   * as `x-rampart-changes-state: false`, so the audit test does not expect an entry of it.
   */
  changesState?: false;
  /** A body the route reads itself rather than through a zod pipe (e.g. raw webhook bytes). */
  requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
}

/** Documents a route in the OpenAPI document served at /api/docs. */
export const ApiDoc = (options: ApiDocOptions) => SetMetadata(API_DOC_KEY, options);
