import { Client } from 'pg';
import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { SqlExecutor } from '@rampart/database';
import { type IncidentEvent, IncidentEventFeed, IncidentWriter } from '@rampart/incidents';

import { waitFor } from '../support/kafka-tools';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// The outbox is read by consumers that must never miss a committed event although sequence order
// is not commit order. Transactions here run on connections of their own, so the test decides
// which commits first.
let rampart: TestRampart;
let feed: IncidentEventFeed;
let writer: IncidentWriter;
let incidentId: string;
const clients: Client[] = [];

class ClientExecutor extends SqlExecutor {
  constructor(private readonly client: Client) {
    super();
  }
  async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.client.query(sql, parameters)).rows as T[];
  }
}

async function transaction(): Promise<{ sql: SqlExecutor; commit(): Promise<void> }> {
  const client = new Client({ connectionString: rampart.db.url });
  await client.connect();
  clients.push(client);
  await client.query('BEGIN');
  return {
    sql: new ClientExecutor(client),
    commit: async () => {
      await client.query('COMMIT');
    },
  };
}

let matches = 0;
/**
 * An event written the way correlation writes (a rule match, its audit entry appended with the
 * batch's at the end): an audited change such as a comment holds the audit chain head until it
 * commits, so two of those could not interleave the way these tests need.
 */
async function ruleMatch(sql: SqlExecutor, actor: string): Promise<void> {
  matches += 1;
  const now = new Date();
  await writer.recordRuleMatches(
    sql,
    [
      {
        incidentId,
        ruleId: 'feed-test',
        groupKey: `${actor}-${matches}`,
        ruleName: 'feed test',
        severityId: 2,
        summary: `match ${matches}`,
        alertIds: [],
        firstTime: now,
        lastTime: now,
      },
    ],
    actor,
  );
}

/** Reads everything the feed hands out from `cursor` until `count` events came, in pages of `page`. */
async function drain(
  cursor: string | null,
  count: number,
  page = 100,
): Promise<{ events: IncidentEvent[]; cursor: string | null }> {
  const events: IncidentEvent[] = [];
  await waitFor(
    `${count} events`,
    async () => {
      const read = await feed.readAfter(cursor, page);
      events.push(...read.events);
      cursor = read.cursor;
      return events.length >= count;
    },
    60_000,
    50,
  );
  return { events, cursor };
}

beforeAll(async () => {
  rampart = await startTestRampart();
  feed = rampart.app.get(IncidentEventFeed);
  writer = rampart.app.get(IncidentWriter);
  await request(rampart.url)
    .post('/api/v1/alerts')
    .set({ Authorization: `Bearer ${rampart.adminKey}` })
    .send(
      buildSampleAlert('elastic', {
        id: 'feed-1',
        time: new Date('2026-11-22T10:00:00Z'),
        host: 'feed-host',
      }) as object,
    )
    .expect(202);
  const [row] = await rampart.db.query<{ id: string }>('SELECT id::text FROM incident');
  incidentId = row?.id as string;
});

afterAll(async () => {
  for (const client of clients) await client.end().catch(() => undefined);
  await rampart.stop();
});

describe('IncidentEventFeed', () => {
  it('hands out the event of a transaction that commits after a later-sequenced one, and skips nothing', async () => {
    const start = await drain(null, 1);
    expect(start.events.map((event) => event.kind)).toEqual(['created']);

    const early = await transaction();
    await ruleMatch(early.sql, 'early');
    const late = await transaction();
    await ruleMatch(late.sql, 'late');
    await late.commit();

    // The later event is committed, but the earlier transaction could still add events before it:
    // nothing is handed out yet.
    await waitFor('the late commit to be visible', async () => {
      const [row] = await rampart.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM incident_event WHERE actor = 'late'",
      );
      return row?.n === 1;
    });
    expect((await feed.readAfter(start.cursor, 100)).events).toEqual([]);

    await early.commit();
    const after = await drain(start.cursor, 2);
    expect(after.events.map((event) => `${event.kind} ${event.actor}`)).toEqual([
      'rule_matched early',
      'rule_matched late',
    ]);
    expect((await feed.readAfter(after.cursor, 100)).events).toEqual([]);
  });

  it('is not held back by a long transaction in another database of the same server', async () => {
    const { cursor } = await feed.readAfter(null, 10_000);
    const elsewhere = new URL(rampart.db.url);
    elsewhere.pathname = '/postgres';
    const other = new Client({ connectionString: elsewhere.toString() });
    await other.connect();
    clients.push(other);
    // A writing transaction (it has a transaction id) that stays open in another database.
    await other.query('BEGIN');
    await other.query('SELECT pg_current_xact_id()');
    try {
      const tx = await transaction();
      await writer.addComment(tx.sql, incidentId, 'beside-a-long-one', 'delivered anyway');
      await tx.commit();
      const read = await drain(cursor, 1);
      expect(read.events.map((event) => event.actor)).toEqual(['beside-a-long-one']);
    } finally {
      await other.query('ROLLBACK');
    }
  });

  it('gives a cursor at its end, after which only later changes come', async () => {
    const end = await feed.end();
    expect(end).toMatch(/^\d+$/);
    const tx = await transaction();
    await writer.addComment(tx.sql, incidentId, 'after-the-end', 'only this one');
    await tx.commit();
    expect((await drain(end, 1)).events.map((event) => event.actor)).toEqual(['after-the-end']);
  });

  it('gives a consumer restarted from its saved cursor every event exactly once', async () => {
    const { cursor: origin } = await feed.readAfter(null, 10_000);
    const writers = await Promise.all([transaction(), transaction(), transaction()]);
    for (const [index, tx] of writers.entries()) {
      for (let n = 0; n < 3; n += 1) await ruleMatch(tx.sql, `w${index}`);
    }
    // Commit in reverse order of their first write.
    for (const tx of [...writers].reverse()) await tx.commit();

    const first = await drain(origin, 4, 4);
    // The consumer stops here, keeping only its cursor; a new one resumes from it.
    const second = await drain(first.cursor, 9 - first.events.length, 2);
    const seqs = [...first.events, ...second.events].map((event) => event.seq);
    expect(new Set(seqs).size).toBe(9);
    expect(seqs).toHaveLength(9);
    expect((await feed.readAfter(second.cursor, 100)).events).toEqual([]);
  });

  it('wakes a waiting consumer as soon as a change commits, without waiting for its poll', async () => {
    const { cursor } = await feed.readAfter(null, 10_000);
    const startedAt = Date.now();
    const woken = feed.waitForEvents(undefined, 120_000);
    const tx = await transaction();
    await writer.addComment(tx.sql, incidentId, 'notifier', 'wake up');
    await tx.commit();
    await woken;
    // Woken by the notification at commit: far sooner than the two-minute poll.
    expect(Date.now() - startedAt).toBeLessThan(60_000);
    expect((await drain(cursor, 1)).events[0]).toMatchObject({ kind: 'commented', actor: 'notifier' });
  });

  it('listens again after losing its connection, and wakes consumers for what they may have missed', async () => {
    const { cursor } = await feed.readAfter(null, 10_000);
    await feed.waitForEvents(undefined, 10);
    const killed = await rampart.db.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE application_name = 'rampart-listener' AND datname = current_database()`,
    );
    expect(killed).toEqual([{ ok: true }]);
    const tx = await transaction();
    await writer.addComment(tx.sql, incidentId, 'after-reconnect', 'still delivered');
    await tx.commit();
    await waitFor('the listener to reconnect', async () => {
      const [row] = await rampart.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = 'rampart-listener' AND datname = current_database()`,
      );
      return row?.n === 1;
    });
    const startedAt = Date.now();
    const woken = feed.waitForEvents(undefined, 120_000);
    const again = await transaction();
    await writer.addComment(again.sql, incidentId, 'after-reconnect', 'notified again');
    await again.commit();
    await woken;
    expect(Date.now() - startedAt).toBeLessThan(60_000);
    expect((await drain(cursor, 2)).events.map((event) => event.actor)).toEqual([
      'after-reconnect',
      'after-reconnect',
    ]);
  });
});
