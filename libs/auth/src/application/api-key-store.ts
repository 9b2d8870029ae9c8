import type { SqlExecutor } from '@rampart/database';

import type { Role } from '../domain/principal';

/** An API key as stored: never its secret, only the first characters (`prefix`) and a hash. */
export interface StoredApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: Date;
  /** Who issued it (a username or key name); null for keys seeded at start. */
  createdBy: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewApiKey {
  name: string;
  prefix: string;
  secretHash: string;
  role: Role;
  createdBy: string | null;
  expiresAt: Date | null;
}

/** The key behind a presented secret, whatever its state; the caller decides what to refuse. */
export interface PresentedApiKey {
  id: string;
  name: string;
  role: Role;
  revoked: boolean;
  expired: boolean;
  /** How long until it expires, by the database's clock (null: it never does); negative once expired. */
  expiresInMs: number | null;
}

/** Persistence of API keys. Writes take the caller's transaction. */
export abstract class ApiKeyStore {
  /** Finds the key with this hash; a usable one has its last-used time refreshed (to the minute). */
  abstract presented(secretHash: string): Promise<PresentedApiKey | null>;
  abstract insert(sql: SqlExecutor, key: NewApiKey): Promise<StoredApiKey>;
  /** Makes the key with this hash exist, active, with this role (the SOAR_ADMIN_API_KEY seed). */
  abstract ensure(sql: SqlExecutor, key: NewApiKey): Promise<void>;
  abstract countActive(role: Role): Promise<number>;
  abstract list(): Promise<StoredApiKey[]>;
  abstract findById(id: string): Promise<StoredApiKey | null>;
  /** Revokes it (once; revoking again changes nothing); null when there is no such key. */
  abstract revoke(
    sql: SqlExecutor,
    id: string,
  ): Promise<{ before: StoredApiKey; after: StoredApiKey } | null>;
}
