import type { CookieOptions, Request, Response } from 'express';

import { readCookie } from '../../domain/cookies';

/**
 * Cookie names: with Secure, the `__Host-` prefix makes browsers refuse the cookie unless it is
 * Secure, host-only and for path `/`, so no subdomain and no plain-http page can plant or read it.
 */
const NAMES = {
  session: { secure: '__Host-rampart_session', plain: 'rampart_session' },
  oidc: { secure: '__Host-rampart_oidc', plain: 'rampart_oidc' },
} as const;
export type CookieKind = keyof typeof NAMES;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * Secure unless the browser speaks plain http to this very machine (http://localhost:3000, the
 * zero-setup start): browsers treat localhost as a secure context anyway, and a Secure cookie
 * would not come back over http there in every browser. Any other plain-http host gets a Secure
 * cookie, which browsers then refuse to keep: serve Rampart over https (or behind a TLS proxy).
 */
export function cookieMustBeSecure(request: Request): boolean {
  if (request.secure) return true;
  const host = request.hostname.toLowerCase();
  return !(LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost'));
}

/** Plain http to another host than this machine: the browser will drop our Secure cookie. */
export function cookieWillBeRefused(request: Request): boolean {
  return !request.secure && cookieMustBeSecure(request);
}

export function readOurCookie(request: Request, kind: CookieKind): string | undefined {
  const header = request.headers.cookie;
  return readCookie(header, NAMES[kind].secure) ?? readCookie(header, NAMES[kind].plain);
}

/** httpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), path `/`. */
export function setOurCookie(
  request: Request,
  response: Response,
  kind: CookieKind,
  value: string,
  maxAgeMs: number,
) {
  const secure = cookieMustBeSecure(request);
  const options: CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure,
    maxAge: Math.max(0, maxAgeMs),
  };
  response.cookie(secure ? NAMES[kind].secure : NAMES[kind].plain, value, options);
}

export function clearOurCookie(request: Request, response: Response, kind: CookieKind) {
  for (const name of [NAMES[kind].secure, NAMES[kind].plain]) {
    if (readCookie(request.headers.cookie, name) === undefined) continue;
    const secure = name.startsWith('__Host-') || cookieMustBeSecure(request);
    response.clearCookie(name, { httpOnly: true, sameSite: 'lax', path: '/', secure });
  }
}
