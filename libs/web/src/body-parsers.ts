import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';

import type { ApiErrorBody } from './api-error';

/**
 * Body parsing with answers that name the problem: a body over the limit is a 413 saying the
 * limit, malformed JSON a 400 with the parser's words. Paths in `rawPaths` get the raw bytes
 * (webhook intake verifies signatures over them and accepts non-JSON formats such as CEF).
 */
export function bodyParsers(options: { limitBytes: number; rawPaths: string[] }): RequestHandler {
  const raw = express.raw({ type: () => true, limit: options.limitBytes });
  const json = express.json({ limit: options.limitBytes });
  return (request: Request, response: Response, next: NextFunction) => {
    const parser = options.rawPaths.includes(request.path) ? raw : json;
    parser(request, response, (error?: unknown) => {
      if (!error) return next();
      const failure = error as { type?: string; status?: number; message?: string };
      const body: ApiErrorBody =
        failure.type === 'entity.too.large'
          ? {
              statusCode: 413,
              code: 'payload_too_large',
              message: `the body exceeds ${options.limitBytes} bytes`,
            }
          : failure.type === 'entity.parse.failed'
            ? {
                statusCode: 400,
                code: 'malformed_json',
                message: `malformed JSON: ${failure.message ?? 'parse error'}`,
              }
            : {
                statusCode: failure.status && failure.status < 500 ? failure.status : 400,
                code: 'bad_body',
                message: failure.message ?? 'the body could not be read',
              };
      response.status(body.statusCode).json(body);
    });
  };
}
