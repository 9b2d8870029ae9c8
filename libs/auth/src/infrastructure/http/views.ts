import type { StoredApiKey } from '../../application/api-key-store';
import type { StoredUser } from '../../application/user-store';

/** A user as the API answers it: never a password or its hash. */
export function userView(user: StoredUser) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    authSource: user.authSource,
    oidcLinked: user.oidcSubject !== null,
    disabled: user.disabledAt !== null,
    disabledAt: user.disabledAt,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    lastLoginAt: user.lastLoginAt,
  };
}

/** An API key as the API answers it: its prefix to recognise it, never the secret or its hash. */
export function apiKeyView(key: StoredApiKey, now = new Date()) {
  const state = key.revokedAt ? 'revoked' : key.expiresAt && key.expiresAt <= now ? 'expired' : 'active';
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    state,
    createdAt: key.createdAt,
    createdBy: key.createdBy,
    expiresAt: key.expiresAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
  };
}
