import type { Response } from 'express';

import type { AuthenticatedRequest, Principal } from '@rampart/auth';

export function principalOf(request: AuthenticatedRequest): Principal {
  // The guard let the request through, so someone is signed in.
  return request.principal as Principal;
}

export function send(response: Response, html: string): void {
  response.setHeader('Cache-Control', 'no-store');
  response.type('html').send(html);
}
