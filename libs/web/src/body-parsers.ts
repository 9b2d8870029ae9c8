import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';

import type { ApiErrorBody } from './api-error';
import { jsonNestsDeeperThan } from './json-depth';
import type { RouteMatcher } from './route-matcher';

export interface BodyParserOptions {
  /** Largest body of an authenticated request (SOAR_MAX_BODY_BYTES). */
  limitBytes: number;
  /** Largest body of a request without a caller: public routes (the sign-in form) need little. */
  anonymousLimitBytes: number;
  /** Whether authentication found a caller; it ran before, on the headers only. */
  authenticated(request: Request): boolean;
  /** Routes that get the raw bytes (webhook intake verifies signatures over them, reads CEF). */
  rawRoutes: RouteMatcher;
  /** JSON nested deeper than this is refused before it is parsed. */
  maxJsonDepth: number;
}

const JSON_TYPES = ['application/json', 'application/*+json'];
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * Body parsing, after authentication: only requests that got this far are read. Answers name the
 * problem: a body over the limit is a 413 saying the limit (answered from Content-Length when it
 * says so, and the connection closed rather than drained), malformed or too deeply nested JSON a
 * 400. JSON nesting is measured on the raw bytes before JSON.parse sees them. Form posts
 * (urlencoded, flat) serve the sign-in and sign-out forms; other types are left unread.
 */
export function bodyParsers(options: BodyParserOptions): RequestHandler {
  const parsers = (limit: number) => ({
    raw: express.raw({ type: () => true, limit }),
    json: express.raw({ type: JSON_TYPES, limit }),
    form: express.urlencoded({ type: FORM_TYPE, extended: false, limit, parameterLimit: 100 }),
  });
  const authenticated = parsers(options.limitBytes);
  const anonymous = parsers(options.anonymousLimitBytes);

  return (request: Request, response: Response, next: NextFunction) => {
    const limit = options.authenticated(request) ? options.limitBytes : options.anonymousLimitBytes;
    const set = limit === options.limitBytes ? authenticated : anonymous;
    const fail = (error: unknown) => answer(response, error, limit);
    // The client held the body back until told to send it (Expect: 100-continue): now it may.
    if (/^100-continue$/i.test(request.headers.expect ?? '') && !response.headersSent)
      response.writeContinue();

    if (options.rawRoutes.matches(request.method, request.path)) {
      set.raw(request, response, (error?: unknown) => (error ? fail(error) : next()));
    } else if (request.is(JSON_TYPES)) {
      set.json(request, response, (error?: unknown) => {
        if (error) return fail(error);
        const parsed = parseJson(request.body, options.maxJsonDepth);
        if ('error' in parsed) return fail(parsed.error);
        request.body = parsed.value;
        next();
      });
    } else if (request.is(FORM_TYPE)) {
      set.form(request, response, (error?: unknown) => (error ? fail(error) : next()));
    } else {
      next();
    }
  };
}

interface BodyFailure {
  type: string;
  status?: number;
  message?: string;
}

function parseJson(raw: unknown, maxDepth: number): { value: unknown } | { error: BodyFailure } {
  if (!Buffer.isBuffer(raw)) return { value: raw };
  if (raw.length === 0) return { value: {} };
  if (jsonNestsDeeperThan(raw, maxDepth)) {
    return { error: { type: 'entity.too.deep', message: `the JSON nests deeper than ${maxDepth} levels` } };
  }
  const text = raw.toString('utf8');
  // As express.json's strict mode: a body is an object or an array.
  const first = /^[\s\uFEFF]*(.)/.exec(text)?.[1];
  if (first !== '{' && first !== '[') {
    return { error: { type: 'entity.parse.failed', message: 'expected a JSON object or array' } };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: { type: 'entity.parse.failed', message: (error as Error).message } };
  }
}

function answer(response: Response, error: unknown, limit: number): void {
  const failure = error as BodyFailure;
  const body: ApiErrorBody =
    failure.type === 'entity.too.large'
      ? { statusCode: 413, code: 'payload_too_large', message: `the body exceeds ${limit} bytes` }
      : failure.type === 'entity.too.deep'
        ? { statusCode: 400, code: 'json_too_deep', message: failure.message ?? 'nested too deep' }
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
  // What is left of a refused body is not worth reading: the connection ends after the answer.
  if (body.statusCode === 413) response.setHeader('Connection', 'close');
  response.status(body.statusCode).json({ ...body, field: 'body' });
}
