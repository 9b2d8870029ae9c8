import { ConnectorErrorCode } from '../../domain/connector-error';
import { asRecord, asString } from './http-connector';
import { HttpTransport } from './http-transport';
import { Clock } from './runtime';
import { TokenCache } from './token-cache';

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
