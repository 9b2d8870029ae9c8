import request from 'supertest';

import { hashApiKey, type Role } from '@rampart/auth';

import type { TestRampart } from './rampart-app';

/** Adds an API key with `role` straight into the database (there is no key-issuing API yet). */
export async function addApiKey(rampart: TestRampart, role: Role, key: string): Promise<void> {
  await rampart.db.query('INSERT INTO api_key (name, prefix, secret_hash, role) VALUES ($1, $2, $3, $4)', [
    `${role} key`,
    key.slice(0, 8),
    hashApiKey(key),
    role,
  ]);
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** Creates a connector instance through the admin API and answers its view. */
export async function createConnector(
  rampart: TestRampart,
  body: Record<string, unknown>,
): Promise<{ id: string; name: string }> {
  const response = await request(rampart.url)
    .post('/api/v1/connectors')
    .set(bearer(rampart.adminKey))
    .send(body);
  if (response.status !== 201)
    throw new Error(`creating connector failed: ${response.status} ${response.text}`);
  return response.body as { id: string; name: string };
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
