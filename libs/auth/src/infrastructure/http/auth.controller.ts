import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';

import { SecretBox } from '@rampart/secrets';
import { ApiDoc, ApiError, ZodValidationPipe } from '@rampart/web';

import { AuthSettings } from '../../application/auth-settings';
import { ChangeOwnPasswordUseCase } from '../../application/change-own-password.use-case';
import { LogoutUseCase } from '../../application/logout.use-case';
import type { OidcTransaction } from '../../application/oidc-client';
import { OidcSignInUseCase } from '../../application/oidc-sign-in.use-case';
import { PasswordLoginUseCase } from '../../application/password-login.use-case';
import type { SignedIn, SignInContext } from '../../application/session-issuer';
import { AuthError, AuthErrorCode } from '../../domain/auth-error';
import { safeReturnTo } from '../../domain/return-to';
import { answeringAuthErrors, authErrorStatus } from './auth-error.mapping';
import type { AuthenticatedRequest } from './authentication.middleware';
import { clearOurCookie, cookieWillBeRefused, readOurCookie, setOurCookie } from './cookies';
import { assertCsrfToken, assertSameOrigin } from './csrf';
import { Public, RequirePermission } from './permission.decorator';
import { renderSignIn } from './sign-in-pages';

const OIDC_COOKIE_MS = 10 * 60 * 1000;

export const loginBody = z.strictObject({
  username: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
  returnTo: z.string().max(2048).optional().describe('form posts: where to go after signing in (a path)'),
});
const logoutBody = z.strictObject({ _csrf: z.string().max(256).optional() }).optional();
const passwordBody = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});
const oidcLoginQuery = z.strictObject({ returnTo: z.string().max(2048).optional() });
// What a provider sends back: the code and state, or an error; anything else is ignored.
const oidcCallbackQuery = z.looseObject({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  error: z.string().max(256).optional(),
});

const SIGNED_IN = {
  type: 'object',
  properties: {
    user: {
      type: 'object',
      properties: { id: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' } },
    },
    csrfToken: { type: 'string', description: 'send as X-CSRF-Token with every state change' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
};

/**
 * Console sign-in and sign-out. JSON for scripts and the console's own code; plain HTML forms
 * (application/x-www-form-urlencoded) get redirects and the sign-in page instead, so signing in
 * works in a browser without script.
 */
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly login: PasswordLoginUseCase,
    private readonly logout: LogoutUseCase,
    private readonly changePassword: ChangeOwnPasswordUseCase,
    private readonly oidc: OidcSignInUseCase,
    private readonly box: SecretBox,
    private readonly settings: AuthSettings,
  ) {}

  @Public()
  @Post('login')
  @ApiDoc({
    summary: 'Sign in with username and password: sets the session cookie',
    description:
      'JSON answers `{user, csrfToken, expiresAt}`; a form post answers 303 to `returnTo`. Failed attempts are ' +
      'throttled per account and per client address: 429 with Retry-After while locked.',
    responses: { 200: { description: 'signed in', schema: SIGNED_IN }, 303: 'form post: signed in' },
    errors: [401, 403, 429],
  })
  async signIn(
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Body(new ZodValidationPipe(loginBody)) body: z.output<typeof loginBody>,
  ): Promise<void> {
    const form = request.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
    response.setHeader('Cache-Control', 'no-store');
    try {
      assertSameOrigin(request);
      const signedIn = await answeringAuthErrors(
        () => this.login.execute({ username: body.username, password: body.password, ...contextOf(request) }),
        response,
      );
      this.setSession(request, response, signedIn);
      if (form) response.redirect(HttpStatus.SEE_OTHER, safeReturnTo(body.returnTo));
      else response.status(HttpStatus.OK).json(signedInBody(signedIn));
    } catch (error) {
      if (!form || !(error instanceof ApiError)) throw error;
      const answer = error.getResponse() as { message: string };
      response
        .status(error.getStatus())
        .type('html')
        .send(
          renderSignIn({
            error: answer.message,
            username: body.username,
            returnTo: safeReturnTo(body.returnTo),
            oidc: this.oidc.enabled,
            insecure: cookieWillBeRefused(request),
          }),
        );
    }
  }

  @Public()
  @Post('logout')
  @ApiDoc({
    summary: 'Sign out: ends the session and clears its cookie (needs the CSRF token of a live session)',
    responses: { 204: 'signed out', 303: 'form post: signed out' },
    errors: [403],
  })
  async signOut(
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Body(new ZodValidationPipe(logoutBody)) _body: z.output<typeof logoutBody>,
  ): Promise<void> {
    const principal = request.principal;
    if (principal?.kind === 'user') assertCsrfToken(request, principal);
    const secret = readOurCookie(request, 'session');
    if (secret !== undefined) await this.logout.execute(secret);
    clearOurCookie(request, response, 'session');
    response.setHeader('Cache-Control', 'no-store');
    if (request.is('application/x-www-form-urlencoded'))
      response.redirect(HttpStatus.SEE_OTHER, '/login?reason=signed_out');
    else response.status(HttpStatus.NO_CONTENT).end();
  }

  @Get('session')
  @RequirePermission('self:read')
  @ApiDoc({
    summary: 'Who is calling: the user of the session (with its CSRF token and end) or the API key',
    responses: { 200: '{kind, id, name, role, csrfToken?, expiresAt?}' },
  })
  session(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    const principal = request.principal;
    if (principal?.kind !== 'user') return principal;
    return {
      kind: principal.kind,
      id: principal.id,
      name: principal.name,
      role: principal.role,
      csrfToken: principal.csrfToken,
      expiresAt: principal.sessionExpiresAt,
    };
  }

  @Post('password')
  @RequirePermission('self:update')
  @ApiDoc({
    summary: 'Change one’s own password (a signed-in local user); one’s other sessions end',
    responses: { 204: 'changed' },
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  async password(
    @Req() request: AuthenticatedRequest,
    @Body(new ZodValidationPipe(passwordBody)) body: z.output<typeof passwordBody>,
  ): Promise<void> {
    await answeringAuthErrors(async () => {
      const principal = request.principal;
      if (principal?.kind !== 'user') {
        throw new AuthError(AuthErrorCode.NotASession, 'only a signed-in user has a password to change');
      }
      await this.changePassword.execute({ user: principal, ...body });
    });
  }

  @Public()
  @Get('oidc/login')
  @ApiDoc({
    summary: 'Sign in through the OpenID Connect provider: redirects the browser there',
    responses: { 303: 'to the provider' },
    errors: [404],
  })
  async oidcLogin(
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query(new ZodValidationPipe(oidcLoginQuery, 'query')) query: z.output<typeof oidcLoginQuery>,
  ): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    try {
      const { url, transaction } = await this.oidc.begin(query.returnTo);
      setOurCookie(request, response, 'oidc', this.box.seal(JSON.stringify(transaction)), OIDC_COOKIE_MS);
      response.redirect(HttpStatus.SEE_OTHER, url.href);
    } catch (error) {
      if (error instanceof AuthError && error.code === AuthErrorCode.OidcFailed) {
        response.redirect(HttpStatus.SEE_OTHER, `/login?reason=${error.code}`);
        return;
      }
      await answeringAuthErrors(() => Promise.reject(error));
    }
  }

  @Public()
  @Get('oidc/callback')
  @ApiDoc({
    summary: 'Where the OpenID Connect provider sends the browser back: opens the session',
    responses: { 303: 'signed in (to where sign-in started), or to the sign-in page with a reason' },
    errors: [404],
  })
  async oidcCallback(
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query(new ZodValidationPipe(oidcCallbackQuery, 'query')) _query: z.output<typeof oidcCallbackQuery>,
  ): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    const redirectUrl = this.settings.oidc?.redirectUrl;
    if (!redirectUrl) {
      await answeringAuthErrors(() =>
        Promise.reject(new AuthError(AuthErrorCode.OidcNotConfigured, 'OIDC sign-in is not configured')),
      );
      return;
    }
    const sealed = readOurCookie(request, 'oidc');
    clearOurCookie(request, response, 'oidc');
    const transaction = sealed === undefined ? null : this.openTransaction(sealed);
    if (!transaction) {
      response.redirect(HttpStatus.SEE_OTHER, `/login?reason=${AuthErrorCode.OidcFailed}`);
      return;
    }
    // The URL the provider redirected to, as configured (a proxy may have rewritten what we see).
    const callback = new URL(redirectUrl);
    callback.search = new URL(request.originalUrl, 'http://callback').search;
    try {
      const signedIn = await this.oidc.complete(callback, transaction, contextOf(request));
      this.setSession(request, response, signedIn);
      response.redirect(HttpStatus.SEE_OTHER, safeReturnTo(transaction.returnTo));
    } catch (error) {
      if (!(error instanceof AuthError) || authErrorStatus(error) === HttpStatus.NOT_FOUND) throw error;
      response.redirect(HttpStatus.SEE_OTHER, `/login?reason=${error.code}`);
    }
  }

  private setSession(request: AuthenticatedRequest, response: Response, signedIn: SignedIn): void {
    setOurCookie(
      request,
      response,
      'session',
      signedIn.sessionSecret,
      signedIn.expiresAt.getTime() - Date.now(),
    );
  }

  private openTransaction(sealed: string): OidcTransaction | null {
    try {
      const value = JSON.parse(this.box.open(sealed)) as Partial<OidcTransaction>;
      const complete =
        typeof value.state === 'string' &&
        typeof value.nonce === 'string' &&
        typeof value.codeVerifier === 'string' &&
        typeof value.returnTo === 'string' &&
        typeof value.startedAt === 'number';
      return complete ? (value as OidcTransaction) : null;
    } catch {
      return null;
    }
  }
}

export function contextOf(request: AuthenticatedRequest): SignInContext {
  return { clientAddress: request.ip ?? null, userAgent: request.get('user-agent') ?? null };
}

function signedInBody(signedIn: SignedIn) {
  return { user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt };
}
