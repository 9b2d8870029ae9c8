/**
 * Idempotency keys Rampart makes itself: `undo:<action id>:<attempt>` for the undo records of
 * rollbacks and expiries, `run:<run id>:<step id>[:<item>]` for playbook steps. A caller of the API
 * may not use them, so nobody can take a key an undo or a playbook step will need (an undo whose key
 * is taken could never be recorded).
 */
export const RESERVED_KEY_PREFIXES = ['undo:', 'run:'] as const;

/** Who asks for an action: a person or client through the API, or Rampart itself (playbook engine). */
export type ActionOrigin = 'api' | 'internal';

export function reservedPrefixOf(key: string): string | undefined {
  const lower = key.toLowerCase();
  return RESERVED_KEY_PREFIXES.find((prefix) => lower.startsWith(prefix));
}

export function undoKey(actionId: string, attempt: number): string {
  return `undo:${actionId}:${attempt}`;
}
