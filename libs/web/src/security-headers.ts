import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every answer, errors and 401s included. The Content-Security-Policy allows
 * scripts, styles, fonts and connections from this server only: no inline script or style, no
 * `eval`, no framing, forms posting only here. HSTS applies where the answer reaches the browser
 * over https (direct or through a TLS proxy); browsers ignore it over plain http.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
