import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';

import { AllExceptionsFilter } from '@rampart/web';

import { ConsoleViews } from './console-views';

const TITLES: Partial<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'Bad request',
  [HttpStatus.FORBIDDEN]: 'Not allowed',
  [HttpStatus.NOT_FOUND]: 'Not found',
};

/**
 * Errors of the console's pages as a browser should see them: without a session, a redirect to
 * the sign-in page that comes back here afterwards (htmx gets `HX-Redirect`); a refusal, an
 * unknown id or a bad filter as a short HTML page. Anything else (5xx) goes to the API's filter,
 * which logs it with an error id.
 */
@Catch()
@Injectable()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly fallback = new AllExceptionsFilter();

  constructor(private readonly views: ConsoleViews) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    response.setHeader('Cache-Control', 'no-store');
    if (status === HttpStatus.UNAUTHORIZED) {
      const path = request.originalUrl;
      const location = path === '/' ? '/login' : `/login?returnTo=${encodeURIComponent(path)}`;
      if (request.headers['hx-request'] === 'true') {
        response.setHeader('HX-Redirect', location);
        response.status(HttpStatus.UNAUTHORIZED).type('html').send('');
        return;
      }
      response.redirect(HttpStatus.SEE_OTHER, location);
      return;
    }
    const title = TITLES[status];
    if (title && exception instanceof HttpException) {
      response
        .status(status)
        .type('html')
        .send(this.views.bare(title, messageOf(exception)));
      return;
    }
    this.fallback.catch(exception, host);
  }
}

function messageOf(exception: HttpException): string {
  const payload = exception.getResponse();
  if (typeof payload === 'string') return payload;
  const message = (payload as { message?: unknown }).message;
  return typeof message === 'string' ? message : exception.message;
}
