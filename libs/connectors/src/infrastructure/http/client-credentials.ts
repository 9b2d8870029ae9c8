import { CircuitBreaker } from '../../domain/circuit-breaker';
import { ConnectorErrorCode } from '../../domain/connector-error';
import { BearerTokenAuth } from './auth-provider';
import { asRecord, asString, createTransport, HttpConnectorSettings } from './http-connector';
import { HttpTransport, VendorProtocol } from './http-transport';
import { Clock, ResolvedRuntime } from './runtime';
import { TokenCache } from './token-cache';

/**
 * The API transport of a vendor that issues OAuth2 client-credentials tokens: bearer auth from a
 * token cache, and a token transport with a breaker of its own, so that the API breaker's
 * half-open trial can still fetch a token.
 */
export function clientCredentialsTransport(
  settings: HttpConnectorSettings,
  options: {
    connector: string;
    runtime: ResolvedRuntime;
    protocol: VendorProtocol;
    secrets: () => string[];
    /** The token endpoint: `tokenPath` under the instance's base URL, or under `tokenBaseUrl`. */
    tokenBaseUrl?: string;
    tokenPath: string;
    form: Record<string, string>;
  },
): HttpTransport {
  const { connector, runtime, protocol, secrets } = options;
  const tokenTransport = createTransport(
    options.tokenBaseUrl === undefined ? settings : { ...settings, baseUrl: options.tokenBaseUrl },
    { connector, runtime, breaker: new CircuitBreaker(runtime.breaker, runtime.clock), protocol, secrets },
  );
  const tokens = clientCredentialsTokenCache(tokenTransport, options.tokenPath, options.form, runtime.clock);
  return createTransport(settings, {
    connector,
    runtime,
    auth: new BearerTokenAuth(tokens),
    protocol,
    secrets,
  });
}

/**
 * OAuth2 client-credentials token cache against one token endpoint (CrowdStrike `/oauth2/token`,
 * Entra `/{tenant}/oauth2/token`). Any refusal of the client is `auth_failed`, whatever status
 * the issuer used for it.
 */
export function clientCredentialsTokenCache(
  tokenTransport: HttpTransport,
  tokenPath: string,
  form: Record<string, string>,
  clock: Clock,
): TokenCache {
  return new TokenCache(async () => {
    const response = await tokenTransport.request(
      { method: 'POST', path: tokenPath, form, auth: false, accept: [400, 401, 403] },
      'token',
    );
    if (response.status >= 400) {
      throw tokenTransport.vendorError(ConnectorErrorCode.AuthFailed, response, 'token', {
        retryable: false,
      });
    }
    const body = asRecord(response.json);
    const token = asString(body.access_token);
    if (!token) {
      throw tokenTransport.error(
        ConnectorErrorCode.VendorError,
        'token response without access_token',
        'token',
      );
    }
    // Entra v1 sends expires_in as a string; CrowdStrike as a number.
    const lifetime = Number(body.expires_in);
    return { token, expiresInSeconds: Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 300 };
  }, clock);
}
