import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import { ApiKeyService } from '../application/api-key.service';
import { type Permission, roleHas, rolesWith } from '../domain/permissions';
import type { Principal } from '../domain/principal';
import { PERMISSION_KEY, PUBLIC_KEY } from './permission.decorator';

export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * Authorization on every route: the route's permission (@RequirePermission) must be held by the
 * caller's role (PERMISSION_MATRIX); a route without one is admin-only, and only @Public routes
 * go without a key.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header) {
      throw new UnauthorizedException({
        code: 'missing_api_key',
        message: 'Authorization: Bearer <api key> is required',
      });
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new UnauthorizedException({
        code: 'malformed_authorization',
        message: 'expected Authorization: Bearer <api key>',
      });
    }
    const principal = await this.apiKeys.authenticate(match[1] as string);
    if (!principal)
      throw new UnauthorizedException({
        code: 'invalid_api_key',
        message: 'the API key is unknown or revoked',
      });
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (permission === undefined ? principal.role !== 'admin' : !roleHas(principal.role, permission)) {
      const allowed = permission === undefined ? ['admin'] : rolesWith(permission);
      throw new ForbiddenException({
        code: 'forbidden',
        message: `role ${principal.role} may not do this${permission ? ` (${permission})` : ''}; allowed: ${allowed.join(', ')}`,
      });
    }
    request.principal = principal;
    return true;
  }
}
