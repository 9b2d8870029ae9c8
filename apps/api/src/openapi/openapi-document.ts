import { Injectable, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { z } from 'zod';

import { type Permission, PERMISSION_KEY, PUBLIC_KEY, rolesWith } from '@rampart/auth';
import { API_DOC_KEY, type ApiDocOptions, type ApiDocResponse, ZodValidationPipe } from '@rampart/web';

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

/** One route as the server answers it, with what its decorators and pipes say of it. */
export interface DiscoveredRoute {
  method: string;
  /** OpenAPI form: `/api/v1/incidents/{id}`. */
  path: string;
  doc: ApiDocOptions | undefined;
  public: boolean;
  permission: Permission | undefined;
  pipes: { kind: 'body' | 'query' | 'param'; name: string | undefined; schema: z.ZodType }[];
}

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
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): DiscoveredRoute[] {
    const routes: DiscoveredRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type | undefined;
      if (!controller) continue;
      const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] ?? 'GET';
        const targets = [handler, controller] as (Type | object)[];
        routes.push({
          method: method.toLowerCase(),
          path: openApiPath(prefix, String(path)),
          doc: this.reflector.getAllAndOverride<ApiDocOptions | undefined>(API_DOC_KEY, targets as never),
          public: this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets as never) === true,
          permission: this.reflector.getAllAndOverride<Permission | undefined>(
            PERMISSION_KEY,
            targets as never,
          ),
          pipes: zodPipes(controller, name),
        });
      }
    }
    return routes;
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
          'Security orchestration, automation and response. Authenticate with `Authorization: Bearer <api key>`. ' +
          'Each operation names the permission it needs and the roles holding it (x-rampart-permission). ' +
          'Errors answer `{ statusCode, code, message, field? }`; a 5xx carries an `errorId` that is also in the server log.',
      },
      security: [{ apiKey: [] }],
      paths,
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key' } },
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

function openApiPath(prefix: string, path: string): string {
  const joined = [prefix, path]
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`.replace(/:(\w+)/g, '{$1}');
}

const KINDS: Partial<Record<number, 'body' | 'query' | 'param'>> = {
  [RouteParamtypes.BODY]: 'body',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.PARAM]: 'param',
};

/** The zod schemas bound to a handler's body, query and path parameters. */
function zodPipes(controller: Type, method: string): DiscoveredRoute['pipes'] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { data?: unknown; pipes?: unknown[] }
  >;
  const pipes: DiscoveredRoute['pipes'] = [];
  for (const [key, arg] of Object.entries(args)) {
    const kind = KINDS[Number(key.split(':')[0])];
    if (!kind) continue;
    for (const pipe of arg.pipes ?? []) {
      if (pipe instanceof ZodValidationPipe) {
        pipes.push({
          kind,
          name: typeof arg.data === 'string' ? arg.data : undefined,
          schema: pipe.schema as z.ZodType,
        });
      }
    }
  }
  return pipes;
}
