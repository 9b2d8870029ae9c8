import type { AuditActor, AuditEntryInput } from '@rampart/audit';

import type { StoredApiKey } from './api-key-store';
import type { SignInContext } from './session-issuer';
import type { StoredUser } from './user-store';

// What the audit trail keeps of accounts and keys: never a password, a hash or a key's secret
// (the trail keeps everything forever).

/** A user account as the audit trail records it. */
export function userView(user: StoredUser): Record<string, unknown> {
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    authSource: user.authSource,
    disabled: user.disabledAt !== null,
  };
}

/** An API key as the audit trail records it: its name, prefix, role and dates, never its secret or hash. */
export function apiKeyView(key: StoredApiKey): Record<string, unknown> {
  return {
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    createdBy: key.createdBy,
    expiresAt: key.expiresAt,
    revoked: key.revokedAt !== null,
  };
}

export function userTarget(user: { id: string | null; username: string }): AuditEntryInput['target'] {
  return { type: 'user', id: user.id, name: user.username };
}

/** The person signing in, before any request context knows them. */
export function userActor(user: { id: string; username: string }): AuditActor {
  return { kind: 'user', id: user.id, name: user.username };
}

/** `login.succeeded`, by the user who signed in, with how and from where. */
export function signedInEntry(
  user: { id: string; username: string; role: string },
  method: 'password' | 'oidc',
  context: SignInContext,
): AuditEntryInput {
  return {
    actor: userActor(user),
    action: 'login.succeeded',
    target: userTarget(user),
    after: { method, role: user.role, clientAddress: context.clientAddress },
  };
}
