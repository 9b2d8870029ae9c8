import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';

import type { AuthenticatedRequest } from '@rampart/auth';
import { RequestContext } from '@rampart/web';

/**
 * Tells the request context who calls, once the guard has authenticated the request (interceptors
 * run after guards), so the audit trail and use cases can name the caller without being handed it.
 */
@Injectable()
export class PrincipalContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (principal) {
      const kind = (principal.kind as string) === 'user' ? 'user' : 'api_key';
      RequestContext.setActor({ kind, id: principal.id, name: principal.name });
    }
    return next.handle();
  }
}
