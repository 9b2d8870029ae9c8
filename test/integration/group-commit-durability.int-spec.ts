import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConsoleLogger } from '@nestjs/common';
import { Client } from 'pg';

import { buildSampleAlert } from '@rampart/alerts';
import { AppConfig } from '@rampart/config';

import { type RunningRampart, startRampart } from '../../apps/api/src/bootstrap';
import {
  type EmbeddedPostgresProcess,
  startEmbeddedPostgresProcess,
} from '../support/embedded-postgres-process';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy';
import { freePort } from '../support/free-port';
import { REPO_ROOT, TEST_MASTER_KEY } from '../support/rampart-app';

// Group commit answers many requests from one transaction. Whatever happens to the database
// meanwhile (slow, connections cut, restarted), a 202 must mean "stored", and stored once: the
// platform runs on an embedded PostgreSQL this test owns, behind a proxy that slows and cuts.
const CLIENTS = 16;
const ALERTS = 300;
const MAX_ALERTS = 20_000;
const T0 = Date.parse('2026-11-23T08:00:00Z');
const ADMIN_KEY = 'rk_test_group_commit_admin_key_0000000';

let dataDir: string;
let pgPort: number;
let postgres: EmbeddedPostgresProcess;
let proxy: FaultProxy;
let rampart: RunningRampart;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-group-commit-'));
  // As root, the embedded PostgreSQL runs as `postgres`, which must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  pgPort = await freePort();
  postgres = await startEmbeddedPostgresProcess(path.join(dataDir, 'pg'), pgPort);
  proxy = await startFaultProxy(pgPort);
  const url = new URL(postgres.url);
  url.port = String(proxy.port);
  const config = AppConfig.fromEnvironment({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: url.toString(),
    SOAR_DATA_DIR: path.join(dataDir, 'app'),
    SOAR_ADMIN_API_KEY: ADMIN_KEY,
    SOAR_MASTER_KEY: TEST_MASTER_KEY,
    CORRELATION_RULES_DIR: path.join(REPO_ROOT, 'rules', 'correlation'),
    SOAR_ROLES: 'api',
  });
  // Errors are expected while the database is down; they are not this test's output.
  rampart = await startRampart(config, new ConsoleLogger({ logLevels: [] }));
}, 180_000);

afterAll(async () => {
  await rampart?.stop();
  await proxy?.close();
  await postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  items: { index: number; status: string; alertId?: string }[];
}

describe('group commit: requests arriving while a transaction holds the correlation lock', () => {
  it('join the transaction waiting for the lock instead of a transaction after it', async () => {
    // Every round trip to PostgreSQL takes 2 x 60 ms: the first request's transaction holds the
    // lock for about ten of them. The second request's transaction starts meanwhile and waits
    // for the lock; ten requests sent after it must be taken into it, so the twelve make two
    // transactions, not three.
    const transactions = async () => {
      const text = await (
        await fetch(`${rampart.url}/metrics`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } })
      ).text();
      return Number(/^rampart_group_commit_alerts_count\{intake="webhook"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const send = (n: number) =>
      fetch(`${rampart.url}/api/v1/alerts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(
          buildSampleAlert('elastic', {
            id: `join-${n}`,
            title: `joining alert ${n}`,
            time: new Date(T0 - 3_600_000 + n * 1000),
            host: `join-host-${n}`,
            severity: 'low',
          }),
        ),
      }).then((response) => response.status);
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const before = await transactions();
    proxy.setDelay(60);
    try {
      const first = send(0);
      await pause(720);
      const second = send(1);
      await pause(240);
      const rest = Array.from({ length: 10 }, (_, n) => send(n + 2));
      expect(await Promise.all([first, second, ...rest])).toEqual(Array(12).fill(202));
    } finally {
      proxy.setDelay(0);
    }
    expect((await transactions()) - before).toBe(2);
  }, 60_000);
});

describe('group commit while the database is slowed, cut off and restarted', () => {
  it('stores the alerts of every 202 answer exactly once, and loses none', async () => {
    // Alerts in bodies of 1 to 3, on 40 hosts; each body is posted until it gets a 202. Clients
    // keep sending new bodies until every fault happened (and at least ALERTS alerts went out).
    const sentIds: string[] = [];
    const nextBody = (): { ids: string[]; body: string } => {
      const first = sentIds.length;
      const ids = Array.from({ length: 1 + (first % 3) }, (_, n) => `gc-${first + n}`);
      sentIds.push(...ids);
      const alerts = ids.map((id, n) =>
        buildSampleAlert(n % 2 === 0 ? 'elastic' : 'wazuh', {
          id,
          title: `alert ${id}`,
          time: new Date(T0 + (first + n) * 1000),
          host: `gc-host-${(first + n) % 40}`,
          severity: 'medium',
        }),
      );
      return { ids, body: JSON.stringify(alerts) };
    };
    const accepted = new Map<string, number>();
    const answeredDuplicate = new Set<string>();
    let failures = 0;
    let faultsDone = 0;
    const post = async (body: string) => {
      const response = await fetch(`${rampart.url}/api/v1/alerts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      return { status: response.status, answer: (await response.json()) as Answer };
    };
    const clients = Array.from({ length: CLIENTS }, async () => {
      while ((faultsDone < 4 || sentIds.length < ALERTS) && sentIds.length < MAX_ALERTS) {
        const { ids, body } = nextBody();
        for (let attempt = 1; ; attempt += 1) {
          const result = await post(body).catch(() => null);
          if (result?.status === 202) {
            for (const item of result.answer.items) {
              const id = ids[item.index] as string;
              if (item.status === 'accepted') accepted.set(id, (accepted.get(id) ?? 0) + 1);
              else if (item.status === 'duplicate') answeredDuplicate.add(id);
              else throw new Error(`alert ${id} was rejected: ${JSON.stringify(item)}`);
            }
            break;
          }
          failures += 1;
          if (attempt > 200) throw new Error(`body ${ids.join(',')} never got a 202`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    });
    // The faults, one after another, while the clients send.
    const chaos = (async () => {
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const rounds = [
        async () => {
          proxy.setDelay(40);
          await pause(1500);
          proxy.setDelay(0);
        },
        async () => {
          proxy.cutAll();
        },
        async () => {
          await postgres.stop();
          await pause(500);
          postgres = await startEmbeddedPostgresProcess(path.join(dataDir, 'pg'), pgPort);
        },
        async () => {
          proxy.setDelay(25);
          await pause(1000);
          proxy.cutAll();
          proxy.setDelay(0);
        },
      ];
      for (const round of rounds) {
        await pause(700);
        await round();
        faultsDone += 1;
      }
    })();
    await Promise.all([...clients, chaos]);
    expect(faultsDone).toBe(4);
    const total = sentIds.length;

    const db = new Client({ connectionString: postgres.url });
    await db.connect();
    try {
      const stored = (
        await db.query<{ externalId: string; incidents: number }>(
          `SELECT a.external_id AS "externalId", count(ia.incident_id)::int AS incidents
             FROM alert a LEFT JOIN incident_alert ia ON ia.alert_id = a.id
            WHERE a.external_id LIKE 'gc-%' GROUP BY a.id`,
        )
      ).rows;
      const storedIds = stored.map((row) => row.externalId);
      // Every alert was eventually answered with a 202 and is stored once, in one incident.
      expect(storedIds.length).toBe(total);
      expect(new Set(storedIds).size).toBe(total);
      expect(stored.every((row) => row.incidents === 1)).toBe(true);
      // No alert was counted as accepted twice; one answered only as a duplicate (its first
      // commit's answer was lost with the connection) was nevertheless stored.
      expect([...accepted.values()].every((count) => count === 1)).toBe(true);
      const answered = new Set([...accepted.keys(), ...answeredDuplicate]);
      expect(answered.size).toBe(total);
      expect(storedIds.every((id) => answered.has(id))).toBe(true);
      const [{ alerts }] = (
        await db.query<{ alerts: number }>(
          `SELECT sum(alert_count)::int AS alerts FROM incident
            WHERE status <> 'merged'
              AND id IN (SELECT ia.incident_id FROM incident_alert ia JOIN alert a ON a.id = ia.alert_id
                          WHERE a.external_id LIKE 'gc-%')`,
        )
      ).rows as [{ alerts: number }];
      expect(alerts).toBe(total);
    } finally {
      await db.end();
    }
    // The faults did bite: some requests failed and were retried.
    expect(failures).toBeGreaterThan(0);
  });
});
