import { timingSafeEqual } from 'node:crypto';

import { HttpStatus } from '@nestjs/common';
import type { Request } from 'express';

import { ApiError } from '@rampart/web';

import type { UserPrincipal } from '../../domain/principal';

export const CSRF_HEADER = 'x-csrf-token';
/** The form field for forms posted without script. */
export const CSRF_FIELD = '_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function changesState(request: Request): boolean {
  return !SAFE_METHODS.has(request.method.toUpperCase());
}

/**
 * A state change made with a session cookie must prove it comes from our own pages: the session's
 * CSRF token in `X-CSRF-Token` (scripts, htmx) or in the form field `_csrf` (plain forms), which a
 * cross-site page cannot read. API-key requests are not cookie-borne and need none. The field is
 * removed from the body once checked, so strict body schemas do not see it.
 */
export function assertCsrfToken(request: Request, principal: UserPrincipal): void {
  const body = request.body as Record<string, unknown> | undefined;
  const header = request.headers[CSRF_HEADER];
  const field = body && typeof body === 'object' && !Buffer.isBuffer(body) ? body[CSRF_FIELD] : undefined;
  const presented = typeof header === 'string' ? header : typeof field === 'string' ? field : undefined;
  if (field !== undefined) delete body?.[CSRF_FIELD];
  if (presented === undefined) {
    throw new ApiError(
      HttpStatus.FORBIDDEN,
      'csrf_token_missing',
      'a change made with a session needs its CSRF token (X-CSRF-Token header or _csrf field)',
      { field: 'header.X-CSRF-Token' },
    );
  }
  const expected = Buffer.from(principal.csrfToken);
  const given = Buffer.from(presented);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ApiError(
      HttpStatus.FORBIDDEN,
      'csrf_token_invalid',
      'the CSRF token does not match this session',
      {
        field: 'header.X-CSRF-Token',
      },
    );
  }
}

/**
 * A sign-in form posted from another site (login CSRF) is refused. Browsers say where a POST
 * comes from: `Sec-Fetch-Site` (same-origin, or none for a typed address), or else `Origin`,
 * whose host must be ours (hosts only: behind a TLS proxy the scheme we see differs). Clients that
 * send neither are not browsers and carry no ambient credentials.
 */
export function assertSameOrigin(request: Request): void {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const refused =
    site !== undefined
      ? site !== 'same-origin' && site !== 'none'
      : origin !== undefined && hostOf(origin) !== (request.get('host') ?? '').toLowerCase();
  if (refused) {
    throw new ApiError(
      HttpStatus.FORBIDDEN,
      'cross_site_request',
      'sign-in is only accepted from Rampart’s own pages',
      {
        field: 'header.Origin',
      },
    );
  }
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}
