import { Injectable } from '@nestjs/common';
import { z } from 'zod';

import { CSRF_HEADER, rolesWith } from '@rampart/auth';
import type { ApiDocResponse } from '@rampart/web';

import { type CatalogRoute, RouteCatalog } from '../routes/route-catalog';
const ERROR_TEXT: Record<number, string> = {
  400: 'invalid input; `field` names it',
  401: 'missing, malformed or unknown credentials, or a bad webhook signature',
  403: 'the caller’s role may not do this',
  404: 'not found',
  409: 'the request conflicts with the current state',
  413: 'body over the size limit',
  422: 'nothing in the body could be accepted',
  429: 'too many requests; retry after the time given',
  503: 'not ready',
};

const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
    field: { type: 'string' },
    details: {},
    errorId: { type: 'string' },
  },
};

/** A route in OpenAPI terms: lower-case method, `/api/v1/incidents/{id}`. */
export type DiscoveredRoute = Omit<CatalogRoute, 'method'> & { method: string };

const jsonSchema = (schema: z.ZodType | Record<string, unknown>): Record<string, unknown> =>
  schema instanceof z.ZodType
    ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>)
    : schema;

/**
 * The OpenAPI document, built from the routes themselves: paths and methods from the controllers,
 * parameters and JSON bodies from the zod schemas that validate them, roles from each route's
 * permission (PERMISSION_MATRIX), and the rest from its @ApiDoc. Nothing is written twice.
 */
@Injectable()
export class OpenApiDocumentBuilder {
  constructor(private readonly catalog: RouteCatalog) {}

  routes(): DiscoveredRoute[] {
    return this.catalog.routes().map((route) => ({
      ...route,
      method: route.method.toLowerCase(),
      path: route.path.replace(/:(\w+)/g, '{$1}'),
    }));
  }

  build(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes().sort((a, b) => a.path.localeCompare(b.path))) {
      (paths[route.path] ??= {})[route.method] = operation(route);
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Rampart API',
        version: '1',
        description:
          'Security orchestration, automation and response. Authenticate with `Authorization: Bearer <api key>` ' +
          '(SIEMs, scripts) or the console’s session cookie (POST /api/v1/auth/login); a state change made with a ' +
          `session carries the session’s CSRF token in \`${CSRF_HEADER}\`. ` +
          'Each operation names the permission it needs and the roles holding it (x-rampart-permission). ' +
          'Errors answer `{ statusCode, code, message, field? }`; a 5xx carries an `errorId` that is also in the server log.',
      },
      security: [{ apiKey: [] }, { session: [] }],
      paths,
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'an API key' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: '__Host-rampart_session',
            description: 'the console session (`rampart_session` over plain http on localhost)',
          },
        },
        schemas: { Error: ERROR_SCHEMA },
      },
    };
  }
}

function operation(route: DiscoveredRoute): Record<string, unknown> {
  const doc = route.doc;
  const roles = route.permission ? rolesWith(route.permission) : ['admin'];
  const access = route.public ? '' : ` (${route.permission ?? 'admin only'}: ${roles.join(', ')})`;
  const parameters: Record<string, unknown>[] = [];
  let requestBody: unknown = doc?.requestBody;
  for (const pipe of route.pipes) {
    const schema = jsonSchema(pipe.schema);
    if (pipe.kind === 'body') {
      requestBody = {
        required: !pipe.schema.safeParse(undefined).success,
        content: { 'application/json': { schema } },
      };
    } else if (pipe.name !== undefined) {
      parameters.push(parameter(pipe.kind, pipe.name, schema, pipe.kind === 'param'));
    } else {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = new Set((schema.required ?? []) as string[]);
      for (const [name, property] of Object.entries(properties)) {
        parameters.push(parameter(pipe.kind, name, property, required.has(name)));
      }
    }
  }
  for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
    if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
      parameters.push(parameter('param', name as string, { type: 'string' }, true));
    }
  }
  for (const header of doc?.headers ?? []) {
    parameters.push({
      name: header.name,
      in: 'header',
      required: false,
      description: header.description,
      schema: header.pattern ? { type: 'string', pattern: header.pattern } : { type: 'string' },
    });
  }
  const errorCodes = new Set<number>(doc?.errors ?? []);
  if (route.pipes.length > 0) errorCodes.add(400);
  if (!route.public) {
    errorCodes.add(401);
    errorCodes.add(403);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(doc?.responses ?? { 200: 'OK' })) {
    responses[status] = response(answer);
  }
  for (const status of [...errorCodes].sort()) {
    responses[String(status)] = {
      description: ERROR_TEXT[status] ?? 'error',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    summary: `${doc?.summary ?? 'UNDOCUMENTED'}${access}`,
    ...(doc?.description ? { description: doc.description } : {}),
    ...(route.public ? { security: [] } : { 'x-rampart-permission': route.permission ?? null }),
    ...(doc?.changesState === false ? { 'x-rampart-changes-state': false } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

function response(answer: string | ApiDocResponse): Record<string, unknown> {
  if (typeof answer === 'string') return { description: answer };
  return {
    description: answer.description,
    ...(answer.schema
      ? { content: { [answer.contentType ?? 'application/json']: { schema: jsonSchema(answer.schema) } } }
      : {}),
  };
}

function parameter(kind: 'query' | 'param', name: string, schema: unknown, required: boolean) {
  const { description, ...rest } = schema as { description?: string };
  return {
    name,
    in: kind === 'param' ? 'path' : 'query',
    required,
    ...(description ? { description } : {}),
    schema: rest,
  };
}
