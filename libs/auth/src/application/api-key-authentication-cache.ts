import { Injectable, OnModuleDestroy } from '@nestjs/common';

import { DatabaseNotifications, NotifiedCache } from '@rampart/database';

import {
  apiKeyCacheLifetimeMs,
  CREDENTIALS_CACHE_MAX_ENTRIES,
  CREDENTIALS_CACHE_TTL_MS,
  CREDENTIALS_CHANGED_CHANNEL,
} from '../domain/credentials-cache';
import { ApiKeyStore, type PresentedApiKey } from './api-key-store';

/**
 * What {@link ApiKeyStore.presented} answers, kept in this process by the secret's hash, so that a
 * busy SIEM's requests do not each wait for the database. An entry ends at the first of: a
 * credentials change anywhere (notified; see CREDENTIALS_CHANGED_CHANNEL), the key's expiry, the
 * TTL. While the listening connection is down nothing is served from it. Unknown hashes are never
 * kept, so guessing keys cannot fill it. The last-used time is written by the lookups the cache
 * cannot answer (see SqlApiKeyStore.presented).
 */
@Injectable()
export class ApiKeyAuthenticationCache implements OnModuleDestroy {
  private readonly cache: NotifiedCache<string, PresentedApiKey | null>;

  constructor(
    private readonly keys: ApiKeyStore,
    notifications: DatabaseNotifications,
  ) {
    this.cache = new NotifiedCache(notifications, {
      channel: CREDENTIALS_CHANGED_CHANNEL,
      maxEntries: CREDENTIALS_CACHE_MAX_ENTRIES,
      ttlMs: CREDENTIALS_CACHE_TTL_MS,
    });
  }

  presented(secretHash: string): Promise<PresentedApiKey | null> {
    return this.cache.read(secretHash, async () => {
      const found = await this.keys.presented(secretHash);
      return { value: found, keepForMs: found ? apiKeyCacheLifetimeMs(found) : 0 };
    });
  }

  /** Called right after committing a change to a key, so this process's next request sees it. */
  clear(): void {
    this.cache.clear();
  }

  onModuleDestroy(): void {
    this.cache.close();
  }
}
