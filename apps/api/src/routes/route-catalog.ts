import { Injectable, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { z } from 'zod';

import { type Permission, PERMISSION_KEY, PUBLIC_KEY } from '@rampart/auth';
import {
  API_DOC_KEY,
  type ApiDocOptions,
  BROWSER_PAGE_KEY,
  RouteMatcher,
  ZodValidationPipe,
} from '@rampart/web';

/** One route as the server answers it, with what its decorators and pipes say of it. */
export interface CatalogRoute {
  /** Upper case: `GET`. */
  method: string;
  /** Express form: `/api/v1/incidents/:id`. */
  path: string;
  doc: ApiDocOptions | undefined;
  public: boolean;
  /** A console page (@BrowserPage): without a session it redirects to sign-in instead of a 401. */
  browserPage: boolean;
  permission: Permission | undefined;
  pipes: { kind: 'body' | 'query' | 'param'; name: string | undefined; schema: z.ZodType }[];
}

/**
 * Every route of every controller, read from the decorators once the modules are built: the
 * OpenAPI document is written from it, and authentication knows from it which requests are public
 * before the router runs.
 */
@Injectable()
export class RouteCatalog {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): CatalogRoute[] {
    const routes: CatalogRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type | undefined;
      if (!controller) continue;
      const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        const path: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        const targets = [handler, controller] as never;
        routes.push({
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] ?? 'GET',
          path: joinPath(prefix, String(path)),
          doc: this.reflector.getAllAndOverride<ApiDocOptions | undefined>(API_DOC_KEY, targets),
          public: this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
          browserPage: this.reflector.getAllAndOverride<boolean>(BROWSER_PAGE_KEY, targets) === true,
          permission: this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets),
          pipes: zodPipes(controller, name),
        });
      }
    }
    return routes;
  }

  /** The @Public routes, to be told apart before routing. */
  publicRoutes(): RouteMatcher {
    return new RouteMatcher(this.routes().filter((route) => route.public));
  }

  /** The console's pages (GET @BrowserPage routes), let through the edge without credentials. */
  browserPages(): RouteMatcher {
    return new RouteMatcher(this.routes().filter((route) => route.browserPage && route.method === 'GET'));
  }
}

function joinPath(prefix: string, path: string): string {
  const joined = [prefix, path]
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

const KINDS: Partial<Record<number, 'body' | 'query' | 'param'>> = {
  [RouteParamtypes.BODY]: 'body',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.PARAM]: 'param',
};

/** The zod schemas bound to a handler's body, query and path parameters. */
function zodPipes(controller: Type, method: string): CatalogRoute['pipes'] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { data?: unknown; pipes?: unknown[] }
  >;
  const pipes: CatalogRoute['pipes'] = [];
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
