import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  Injectable,
  type Type,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { AccessDenialAudit } from '../../application/access-denial-audit';
import { type Permission, roleHas, rolesWith } from '../../domain/permissions';
import { PERMISSION_KEY, PUBLIC_KEY } from './permission.decorator';
import { type AuthenticatedRequest, clientAddress } from './authentication.middleware';
import { assertCsrfToken, changesState } from './csrf';

/**
 * Authorization on every route, the one place it is decided: the route's permission
 * (@RequirePermission) must be held by the caller's role (PERMISSION_MATRIX); a route without one
 * is admin-only; only @Public routes go without credentials. A state change made with a session
 * must also carry the session's CSRF token. Who the caller is was settled before the body was
 * read (AuthenticationMiddleware).
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly denials: AccessDenialAudit,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets: [Type, Type] = [context.getHandler() as Type, context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    try {
      return this.authorize(request, targets);
    } catch (error) {
      // Every refusal is audited (aggregated per reason, route and caller: AccessDenialAudit).
      const status = error instanceof HttpException ? error.getStatus() : 0;
      if (error instanceof HttpException && (status === 401 || status === 403)) {
        const answer = error.getResponse() as { code?: string };
        const principal = request.principal;
        const route = (request as { route?: { path?: unknown } }).route?.path;
        this.denials.denied({
          status,
          code: answer.code ?? 'forbidden',
          route: `${request.method} ${typeof route === 'string' ? route : '(no route)'}`,
          source: principal ? `${principal.kind}:${principal.id}` : clientAddress(request),
          ...(principal
            ? {
                actor: {
                  kind: (principal.kind as string) === 'user' ? 'user' : 'api_key',
                  id: principal.id,
                  name: principal.name,
                },
              }
            : {}),
        });
      }
      throw error;
    }
  }

  private authorize(request: AuthenticatedRequest, targets: [Type, Type]): boolean {
    const principal = request.principal;
    if (!principal) {
      // The middleware answers these before routing; this holds should a route escape its table.
      throw new UnauthorizedException({ code: 'missing_api_key', message: 'credentials are required' });
    }
    if (principal.kind === 'user' && changesState(request)) assertCsrfToken(request, principal);
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (permission === undefined ? principal.role !== 'admin' : !roleHas(principal.role, permission)) {
      const allowed = permission === undefined ? ['admin'] : rolesWith(permission);
      throw new ForbiddenException({
        code: 'forbidden',
        message: `role ${principal.role} may not do this${permission ? ` (${permission})` : ''}; allowed: ${allowed.join(', ')}`,
      });
    }
    return true;
  }
}
