/** What must survive the round trip to the identity provider, kept sealed in a short-lived cookie. */
export interface OidcTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  /** Milliseconds since the epoch: a transaction older than a few minutes is refused. */
  startedAt: number;
}

export type OidcChallenge = Pick<OidcTransaction, 'state' | 'nonce' | 'codeVerifier'>;

export interface OidcIdentity {
  issuer: string;
  subject: string;
  /** ID token claims, completed by the UserInfo endpoint's when the provider has one. */
  claims: Record<string, unknown>;
}

/**
 * The OpenID Connect relying party: authorization code flow with PKCE (S256), state and nonce.
 * Implemented with openid-client; bound only when SOAR_OIDC_* are set.
 */
export abstract class OidcClient {
  /** Fresh random state, nonce and PKCE verifier. */
  abstract newChallenge(): Promise<OidcChallenge>;
  /** The provider's authorization URL to send the browser to. */
  abstract authorizationUrl(challenge: OidcChallenge): Promise<URL>;
  /** Exchanges the callback's code, checking state, nonce, PKCE, issuer, audience and signature. */
  abstract complete(callbackUrl: URL, challenge: OidcChallenge): Promise<OidcIdentity>;
}
