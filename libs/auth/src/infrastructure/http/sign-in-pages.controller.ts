import { Controller, Get, HttpStatus, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';

import { ApiDoc, ZodValidationPipe } from '@rampart/web';

import { OidcSignInUseCase } from '../../application/oidc-sign-in.use-case';
import { safeReturnTo } from '../../domain/return-to';
import type { AuthenticatedRequest } from './authentication.middleware';
import { cookieWillBeRefused } from './cookies';
import { Public } from './permission.decorator';
import { renderSignIn } from './sign-in-pages';

const signInQuery = z.object({
  returnTo: z.string().max(2048).optional(),
  reason: z
    .string()
    .regex(/^[a-z_]{1,64}$/)
    .optional(),
});

const HTML = { description: 'an HTML page', contentType: 'text/html', schema: { type: 'string' } };

/** The browser's way in: the sign-in page (the console, libs/console, is at `/`). */
@Controller()
export class SignInPagesController {
  constructor(private readonly oidc: OidcSignInUseCase) {}

  @Public()
  @Get('login')
  @ApiDoc({
    summary: 'The sign-in page (303 to returnTo when already signed in)',
    responses: { 200: HTML, 303: 'already signed in' },
  })
  signIn(
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query(new ZodValidationPipe(signInQuery, 'query')) query: z.output<typeof signInQuery>,
  ): void {
    const returnTo = safeReturnTo(query.returnTo);
    response.setHeader('Cache-Control', 'no-store');
    if (request.principal?.kind === 'user') {
      response.redirect(HttpStatus.SEE_OTHER, returnTo);
      return;
    }
    response.type('html').send(
      renderSignIn({
        ...(query.reason ? { reason: query.reason } : {}),
        returnTo,
        oidc: this.oidc.enabled,
        insecure: cookieWillBeRefused(request),
      }),
    );
  }
}
