import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { CREDENTIALS_CHANGED_CHANNEL, hashApiKey, type Role } from '@rampart/auth';
import { DatabaseNotifications } from '@rampart/database';

import { bearer, eventually } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Issue 11: API-key authentications and delivery-source bindings are kept in each process, so a
// webhook storm does not cost two statements a request. A change must still reach every process:
// the one that made it at once, the others through the triggers' notification (within 2 s here,
// milliseconds in practice), and nothing is served from memory while nobody listens.
let rampart: TestRampart;
let n = 0;
const CHANGE_SEEN_MS = 2_000;

const listening = () => rampart.app.get(DatabaseNotifications).isListening(CREDENTIALS_CHANGED_CHANNEL);
const incidents = (key: string) => request(rampart.url).get('/api/v1/incidents').set(bearer(key));
const deliver = (key: string, source: string) =>
  request(rampart.url)
    .post('/api/v1/alerts')
    .set(bearer(key))
    .set('X-Soar-Source', source)
    .send(
      buildSampleAlert('wazuh', { id: `cache-${n++}-${Date.now()}`, time: new Date(), host: 'c' }) as object,
    );

/**
 * Commits a change that no trigger announces (as if its notification had been lost): what a
 * request then sees tells whether it was answered from memory.
 */
async function silently(sql: string, parameters: unknown[] = []): Promise<void> {
  await rampart.db.query('BEGIN');
  try {
    await rampart.db.query(`SET LOCAL session_replication_role = replica`);
    await rampart.db.query(sql, parameters);
    await rampart.db.query('COMMIT');
  } catch (error) {
    await rampart.db.query('ROLLBACK');
    throw error;
  }
}

/**
 * Runs `work` with the credential triggers of `tables` off: whatever it changes is never notified,
 * so only what the process making the change does itself can make it seen.
 */
async function withoutNotifications<T>(tables: string[], work: () => Promise<T>): Promise<T> {
  for (const table of tables)
    await rampart.db.query(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_credentials_changed`);
  try {
    return await work();
  } finally {
    for (const table of tables)
      await rampart.db.query(`ALTER TABLE ${table} ENABLE TRIGGER ${table}_credentials_changed`);
  }
}

/** A new key, inserted without a notification; answers its secret and id. */
async function quietKey(role: Role): Promise<{ key: string; id: string }> {
  const key = `rk_test_cache_${role}_${n++}_${Date.now()}_0123456789`;
  await silently('INSERT INTO api_key (name, prefix, secret_hash, role) VALUES ($1, $2, $3, $4)', [
    `cache ${role} ${n}`,
    key.slice(0, 8),
    hashApiKey(key),
    role,
  ]);
  const [row] = await rampart.db.query<{ id: string }>(
    'SELECT id::text FROM api_key WHERE secret_hash = $1',
    [hashApiKey(key)],
  );
  return { key, id: row?.id as string };
}

/** Polls until `probe` answers `status`, for at most CHANGE_SEEN_MS. */
async function seenWithin(probe: () => request.Test, status: number): Promise<request.Response> {
  return eventually(
    async () => {
      const response = await probe();
      return response.status === status ? response : undefined;
    },
    CHANGE_SEEN_MS,
    20,
  );
}

beforeAll(async () => {
  rampart = await startTestRampart();
  // The caches subscribe at their first use; from then on they serve once the LISTEN is answered.
  await incidents(rampart.adminKey).expect(200);
  await eventually(async () => (listening() ? true : undefined), 5_000, 10);
});

afterAll(async () => {
  await rampart.stop();
});

describe('the API-key cache', () => {
  it('answers a key from memory: a change no trigger announced is seen only when a notification comes', async () => {
    const { key, id } = await quietKey('viewer');
    await incidents(key).expect(200);
    await silently('UPDATE api_key SET revoked_at = now() WHERE id = $1', [id]);
    // Served from memory: the revocation was not announced.
    await incidents(key).expect(200);
    await rampart.db.query(`SELECT pg_notify($1, 'test')`, [CREDENTIALS_CHANGED_CHANNEL]);
    const refused = await seenWithin(() => incidents(key), 401);
    expect(refused.body).toMatchObject({ code: 'api_key_revoked' });
  });

  it('refuses a key at once in the process that revoked it, without waiting for the notification', async () => {
    const issued = await request(rampart.url)
      .post('/api/v1/api-keys')
      .set(bearer(rampart.adminKey))
      .send({ name: 'cache-revoked-here', role: 'viewer' })
      .expect(201);
    const key = issued.body.key as string;
    for (let i = 0; i < 3; i += 1) await incidents(key).expect(200);
    await withoutNotifications(['api_key'], async () => {
      await request(rampart.url)
        .delete(`/api/v1/api-keys/${issued.body.id}`)
        .set(bearer(rampart.adminKey))
        .expect(200);
    });
    const refused = await incidents(key).expect(401);
    expect(refused.body).toMatchObject({ code: 'api_key_revoked' });
  });

  it('sees a revocation and a role change made by another connection within 2 s', async () => {
    const revoked = await quietKey('analyst');
    const demoted = await quietKey('viewer');
    await incidents(revoked.key).expect(200);
    await incidents(demoted.key).expect(200);

    await rampart.db.query('UPDATE api_key SET revoked_at = now() WHERE id = $1', [revoked.id]);
    await rampart.db.query(`UPDATE api_key SET role = 'ingest' WHERE id = $1`, [demoted.id]);

    const refused = await seenWithin(() => incidents(revoked.key), 401);
    expect(refused.body).toMatchObject({ code: 'api_key_revoked' });
    const forbidden = await seenWithin(() => incidents(demoted.key), 403);
    expect(forbidden.body).toMatchObject({ code: 'forbidden' });
  });

  it('refuses an expiring key from its expiry on, well before the TTL would end its entry', async () => {
    const expiresAt = new Date(Date.now() + 2_000);
    const issued = await request(rampart.url)
      .post('/api/v1/api-keys')
      .set(bearer(rampart.adminKey))
      .send({ name: 'cache-expiring', role: 'viewer', expiresAt: expiresAt.toISOString() })
      .expect(201);
    const key = issued.body.key as string;
    await incidents(key).expect(200);
    const refused = await eventually(
      async () => {
        const response = await incidents(key);
        return response.status === 401 ? response : undefined;
      },
      5_000,
      20,
    );
    expect(refused.body).toMatchObject({ code: 'api_key_expired' });
    // The cache's TTL is 10 s: a refusal within a second of the expiry comes from the entry's end.
    expect(Date.now() - expiresAt.getTime()).toBeLessThan(1_000);
  });

  it('answers nothing from memory while its listening connection is down, and caches again once back', async () => {
    const { key, id } = await quietKey('viewer');
    await incidents(key).expect(200);
    const terminated = await rampart.db.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
        WHERE application_name = 'rampart-listener' AND datname = current_database()`,
    );
    expect(terminated).toEqual([{ terminated: true }]);
    await eventually(async () => (listening() ? undefined : true), CHANGE_SEEN_MS, 1);

    // Committed while nobody listens: no notification will ever say so.
    await silently('UPDATE api_key SET revoked_at = now() WHERE id = $1', [id]);
    const refused = await incidents(key).expect(401);
    expect(refused.body).toMatchObject({ code: 'api_key_revoked' });

    await eventually(async () => (listening() ? true : undefined), 10_000, 10);
    const again = await quietKey('viewer');
    await incidents(again.key).expect(200);
    await silently('UPDATE api_key SET revoked_at = now() WHERE id = $1', [again.id]);
    await incidents(again.key).expect(200);
  });
});

describe('the delivery-source cache', () => {
  it('sees a key bound to a source, and unbound, by another connection within 2 s', async () => {
    const admin = bearer(rampart.adminKey);
    for (const source of ['cache-bound', 'cache-other']) {
      await request(rampart.url)
        .put(`/api/v1/intake-sources/${source}`)
        .set(admin)
        .send({ hmacSecret: null })
        .expect(200);
    }
    const { key, id } = await quietKey('ingest');
    await deliver(key, 'cache-other').expect(202);
    await deliver(key, 'cache-other').expect(202);

    await rampart.db.query(
      `INSERT INTO intake_source_key (api_key_id, source_name) VALUES ($1, 'cache-bound')`,
      [id],
    );
    const mismatch = await seenWithin(() => deliver(key, 'cache-other'), 403);
    expect(mismatch.body).toMatchObject({ code: 'source_mismatch' });

    await rampart.db.query('DELETE FROM intake_source_key WHERE api_key_id = $1', [id]);
    await seenWithin(() => deliver(key, 'cache-other'), 202);
  });

  it('applies a binding made through the API from the next request of the process that made it', async () => {
    const sourceTables = ['intake_source', 'intake_source_key'];
    const { key, id } = await quietKey('ingest');
    await deliver(key, 'cache-free').expect(400);
    await request(rampart.url)
      .put('/api/v1/intake-sources/cache-free')
      .set(bearer(rampart.adminKey))
      .send({ hmacSecret: null })
      .expect(200);
    await deliver(key, 'cache-free').expect(202);
    await withoutNotifications(sourceTables, async () => {
      await request(rampart.url)
        .put('/api/v1/intake-sources/cache-owned')
        .set(bearer(rampart.adminKey))
        .send({ hmacSecret: null, apiKeyIds: [id] })
        .expect(200);
    });
    const mismatch = await deliver(key, 'cache-free').expect(403);
    expect(mismatch.body).toMatchObject({ code: 'source_mismatch' });
    await withoutNotifications(sourceTables, async () => {
      await request(rampart.url)
        .delete('/api/v1/intake-sources/cache-owned')
        .set(bearer(rampart.adminKey))
        .expect(204);
    });
    await deliver(key, 'cache-free').expect(202);
  });
});
