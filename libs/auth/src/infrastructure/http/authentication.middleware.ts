import { Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { AccessDenialAudit } from '../../application/access-denial-audit';
import {
  type Authentication,
  type AuthenticationFailure,
  Authenticator,
} from '../../application/authenticator';
import type { Principal } from '../../domain/principal';
import { clearOurCookie, readOurCookie } from './cookies';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** Which requests need no credentials: the public routes (@Public), decided from method and path. */
export interface PublicRoutes {
  isPublic(method: string, path: string): boolean;
  /** The route pattern a request would reach (`/api/v1/incidents/:id`), for the audit of a refusal. */
  routeOf?(method: string, path: string): string | undefined;
}

type Refusal = Pick<AuthenticationFailure, 'message'> & { code: string };

const MISSING: Refusal = {
  code: 'missing_api_key',
  message: 'Authorization: Bearer <api key> or a signed-in session is required',
};

/**
 * Authentication, before anything reads the body: the caller is resolved from the headers alone
 * (an `Authorization: Bearer` API key, else the session cookie) and put on `request.principal`.
 * A request for a non-public route without valid credentials is answered 401 at once and its
 * connection closed, so an anonymous client costs the reading of its headers, never its body.
 * Which permission a route needs is the AuthorizationGuard's business, after routing.
 */
@Injectable()
export class AuthenticationMiddleware {
  private readonly log = new Logger('Authentication');

  constructor(
    private readonly authenticator: Authenticator,
    private readonly denials: AccessDenialAudit,
  ) {}

  handler(routes: PublicRoutes): RequestHandler {
    return (request: Request, response: Response, next: NextFunction) => {
      this.authenticate(request as AuthenticatedRequest, response, routes).then(
        (passed) => passed && next(),
        (error: unknown) => {
          // A public route does without a caller (a liveness probe while PostgreSQL is down).
          if (routes.isPublic(request.method, request.path)) next();
          else this.unavailable(response, error);
        },
      );
    };
  }

  private async authenticate(
    request: AuthenticatedRequest,
    response: Response,
    routes: PublicRoutes,
  ): Promise<boolean> {
    const isPublic = routes.isPublic(request.method, request.path);
    const result = await this.resolve(request, response);
    if (result && 'principal' in result) {
      request.principal = result.principal;
      return true;
    }
    // Public routes ignore credentials that do not work: a health probe with a stale key is still up.
    if (isPublic) return true;
    const failure = result?.failure ?? MISSING;
    refuse(response, failure);
    this.denials.denied({
      status: 401,
      code: failure.code,
      route: `${request.method} ${routes.routeOf?.(request.method, request.path) ?? '(no route)'}`,
      source: clientAddress(request),
    });
    return false;
  }

  private async resolve(
    request: Request,
    response: Response,
  ): Promise<Authentication | { failure: Refusal } | undefined> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer +(\S+) *$/i.exec(header);
      if (!match) {
        return {
          failure: { code: 'malformed_authorization', message: 'expected Authorization: Bearer <api key>' },
        };
      }
      return this.authenticator.byApiKey(match[1] as string);
    }
    const secret = readOurCookie(request, 'session');
    if (secret === undefined) return undefined;
    const result = await this.authenticator.bySession(secret);
    if ('failure' in result) clearOurCookie(request, response, 'session');
    return result;
  }

  private unavailable(response: Response, error: unknown): void {
    this.log.error(
      `authentication failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    if (response.headersSent) return;
    response.setHeader('Connection', 'close');
    response.status(503).json({
      statusCode: 503,
      code: 'authentication_unavailable',
      message: 'credentials cannot be checked right now; retry later',
    });
  }
}

/** The client's address as Express sees it (trust proxy applied); IPv4 through IPv6 as IPv4. */
export function clientAddress(request: Request): string {
  const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
  return (address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address).slice(0, 64);
}

/**
 * 401 with `Connection: close`: Node then ends the connection once the answer is written instead
 * of reading the rest of the body to keep it alive.
 */
function refuse(response: Response, failure: Refusal): void {
  response.setHeader('Connection', 'close');
  response.setHeader('WWW-Authenticate', 'Bearer realm="rampart"');
  response.status(401).json({ statusCode: 401, code: failure.code, message: failure.message });
}
