import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys and session ids are random 256-bit tokens: an unsalted SHA-256 is enough to look them
 * up safely, and only that hash is stored.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `rk_${randomBytes(32).toString('base64url')}`;
}

export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The CSRF token of a session: derived from the session's secret (which only the cookie holds)
 * under another label than the stored hash, so neither the database nor the token reveals the
 * other, and nothing more needs storing.
 */
export function csrfTokenFor(sessionSecret: string): string {
  return createHash('sha256').update(`rampart-csrf\0${sessionSecret}`, 'utf8').digest('base64url');
}

/** The first characters of an API key, kept in clear so a person can tell their keys apart. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, 8);
}
