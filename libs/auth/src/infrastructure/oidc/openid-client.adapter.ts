import { isLoopbackUrl } from '@rampart/config';

import type { OidcSettings } from '../../application/auth-settings';
import { OidcClient, type OidcChallenge, type OidcIdentity } from '../../application/oidc-client';

// openid-client is an ES module: loaded with a dynamic import, typed through `resolution-mode`.
type OpenIdClient = typeof import('openid-client', { with: { 'resolution-mode': 'import' } });
type Configuration = InstanceType<OpenIdClient['Configuration']>;

/**
 * The relying party, on openid-client: discovery of the issuer (at the first sign-in, then
 * cached), the authorization code flow with PKCE S256, state and nonce, ID token validation,
 * then the UserInfo claims when the provider has that endpoint. Plain http to the provider only on
 * a loopback address (tests, a local IdP).
 */
export class OpenIdClientAdapter extends OidcClient {
  #configuration: Promise<{ client: OpenIdClient; config: Configuration }> | undefined;

  constructor(private readonly configured: OidcSettings | null) {
    super();
  }

  private get settings(): OidcSettings {
    if (!this.configured) throw new Error('OIDC sign-in is not configured');
    return this.configured;
  }

  async newChallenge(): Promise<OidcChallenge> {
    const client = await loadOpenIdClient();
    return {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
  }

  async authorizationUrl(challenge: OidcChallenge): Promise<URL> {
    const { client, config } = await this.configuration();
    return client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(challenge.codeVerifier),
      code_challenge_method: 'S256',
      state: challenge.state,
      nonce: challenge.nonce,
    });
  }

  async complete(callbackUrl: URL, challenge: OidcChallenge): Promise<OidcIdentity> {
    const { client, config } = await this.configuration();
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: challenge.codeVerifier,
      expectedState: challenge.state,
      expectedNonce: challenge.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error('the provider returned no ID token');
    let claims: Record<string, unknown> = { ...idToken };
    if (config.serverMetadata().userinfo_endpoint) {
      const userInfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
      claims = { ...userInfo, ...claims };
    }
    return { issuer: idToken.iss, subject: idToken.sub, claims };
  }

  private configuration(): Promise<{ client: OpenIdClient; config: Configuration }> {
    this.#configuration ??= (async () => {
      const client = await loadOpenIdClient();
      const settings = this.settings;
      const insecure = settings.issuer.startsWith('http:') && isLoopbackUrl(settings.issuer);
      const options = insecure ? { execute: [client.allowInsecureRequests] } : undefined;
      const discovered = await client.discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        undefined,
        options,
      );
      // The client authenticates the way the provider supports: client_secret_basic, the default
      // of the specifications, unless the provider only takes client_secret_post.
      const server = discovered.serverMetadata();
      const methods = server.token_endpoint_auth_methods_supported;
      const auth = !settings.clientSecret
        ? client.None()
        : methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
          ? client.ClientSecretPost(settings.clientSecret)
          : client.ClientSecretBasic(settings.clientSecret);
      const config = new client.Configuration(server, settings.clientId, undefined, auth);
      if (insecure) client.allowInsecureRequests(config);
      return { client, config };
    })();
    // A provider down at the first sign-in must not stay cached as a failure.
    this.#configuration.catch(() => (this.#configuration = undefined));
    return this.#configuration;
  }
}

function loadOpenIdClient(): Promise<OpenIdClient> {
  return import('openid-client');
}
