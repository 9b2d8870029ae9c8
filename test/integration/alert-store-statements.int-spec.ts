import { AlertStore, buildSampleAlert, type IdentifiedAlert } from '@rampart/alerts';
import { SqlExecutor, TransactionRunner } from '@rampart/database';

import { identifiedAlert } from '../support/identified-alert';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// A group commit's transaction stores up to 5,000 alerts. Sent as one statement, their JSON
// parameter and the driver's copy of it were a large part of a Kafka ingestor's peak memory, so
// the store sends them in statements of at most 1,000: what is stored must not change.
const ALERTS = 2_500;
const T0 = Date.parse('2026-11-30T09:00:00Z');

let rampart: TestRampart;

beforeAll(async () => {
  rampart = await startTestRampart();
}, 120_000);

afterAll(async () => {
  await rampart?.stop();
});

/** Passes statements on, counting the alert inserts and the rows each carried. */
class CountingExecutor extends SqlExecutor {
  readonly alertInserts: number[] = [];

  constructor(private readonly inner: SqlExecutor) {
    super();
  }

  async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    if (/\bINSERT INTO alert \(/.test(sql))
      this.alertInserts.push((JSON.parse(parameters[0] as string) as []).length);
    return this.inner.query<T>(sql, parameters);
  }
}

function identified(n: number, tag: string): IdentifiedAlert {
  return identifiedAlert(
    buildSampleAlert('elastic', {
      id: `${tag}-${n}`,
      title: 'Suspicious PowerShell execution',
      time: new Date(T0 + n * 100),
      host: `statements-host-${n % 40}`,
      severity: 'medium',
    }),
  );
}

async function insertInOneTransaction(batch: IdentifiedAlert[]) {
  return rampart.app.get(TransactionRunner).run(async (sql) => {
    const counting = new CountingExecutor(sql);
    const stored = await rampart.app.get(AlertStore).insertNew(counting, batch, 'kafka');
    return { stored, statements: counting.alertInserts };
  });
}

describe('the alert store, given a group commit of thousands of alerts', () => {
  it('stores every alert once, with its entities, in statements of at most 1,000 alerts', async () => {
    const batch = Array.from({ length: ALERTS }, (_, n) => identified(n, 'statements'));
    const { stored, statements } = await insertInOneTransaction(batch);

    expect(statements).toEqual([1_000, 1_000, 500]);
    expect(stored.map((row) => row.identity).sort()).toEqual(batch.map((item) => item.identity).sort());
    expect(new Set(stored.map((row) => row.id)).size).toBe(ALERTS);
    const given = new Map(batch.map((item) => [item.identity, item.alert]));
    for (const row of stored) expect(row.alert).toBe(given.get(row.identity));

    const [counts] = await rampart.db.query<{ alerts: number; entities: number }>(
      `SELECT count(DISTINCT a.id)::int AS alerts, count(*)::int AS entities
         FROM alert a JOIN alert_entity e ON e.alert_id = a.id
        WHERE a.external_id LIKE 'statements-%'`,
    );
    expect(counts).toEqual({
      alerts: ALERTS,
      entities: batch.reduce((sum, item) => sum + item.alert.entities.length, 0),
    });
  }, 60_000);

  it('returns only the alerts new to the database when a batch repeats some across statements', async () => {
    const batch = Array.from({ length: ALERTS }, (_, n) =>
      identified(n, n % 2 === 0 ? 'statements' : 'repeat'),
    );
    const { stored } = await insertInOneTransaction(batch);
    expect(stored.map((row) => row.identity).sort()).toEqual(
      batch
        .filter((_, n) => n % 2 === 1)
        .map((item) => item.identity)
        .sort(),
    );
  }, 60_000);

  it('stores an identity given twice in one batch once, as first given, with its entities once', async () => {
    const first = identified(0, 'twice');
    const again = { ...identified(1, 'twice'), identity: first.identity };
    const { stored } = await insertInOneTransaction([first, again]);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.alert).toBe(first.alert);
    const rows = await rampart.db.query<{ external_id: string; entities: number }>(
      `SELECT a.external_id, (SELECT count(*)::int FROM alert_entity e WHERE e.alert_id = a.id) AS entities
         FROM alert a WHERE a.identity = $1`,
      [first.identity],
    );
    expect(rows).toEqual([{ external_id: 'twice-0', entities: first.alert.entities.length }]);
  });

  it('keeps one entity row per key and role when two entities of an alert store as the same key', async () => {
    // NUL is stored as U+FFFD: the two users become one key, and the table's primary key takes one row.
    const item = identified(0, 'same-key');
    const alert = {
      ...item.alert,
      entities: [
        ...item.alert.entities,
        { type: 'user', value: 'mallory\u0000', role: 'actor' },
        { type: 'user', value: 'mallory\ufffd', role: 'actor' },
      ],
    } as typeof item.alert;
    const { stored } = await insertInOneTransaction([{ ...item, alert }]);
    const keys = await rampart.db.query<{ entity_key: string }>(
      `SELECT entity_key FROM alert_entity WHERE alert_id = $1 AND type = 'user' AND value LIKE 'mallory%'`,
      [stored[0]?.id],
    );
    expect(keys).toEqual([{ entity_key: 'user:mallory\ufffd' }]);
  });
});

describe('entity rows of alerts', () => {
  it('go with their alert when it is deleted, as a foreign key cascade would do', async () => {
    const { stored } = await insertInOneTransaction([identified(0, 'deleted'), identified(1, 'deleted')]);
    const [gone, kept] = stored.map((row) => row.id);
    await rampart.db.query(`DELETE FROM alert WHERE id = $1`, [gone]);
    const rows = await rampart.db.query<{ alert_id: string }>(
      `SELECT DISTINCT alert_id::text FROM alert_entity WHERE alert_id = ANY ($1::uuid[])`,
      [[gone, kept]],
    );
    expect(rows).toEqual([{ alert_id: kept }]);
  });
});
