import { Client } from 'pg';

import { AlertStore, buildSampleAlert } from '@rampart/alerts';
import { CorrelateAlertsUseCase } from '@rampart/correlation';
import { SqlExecutor } from '@rampart/database';

import { identifiedAlert } from '../support/identified-alert';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// What correlation runs under its lock must cost in proportion to the batch, not to the alerts
// already stored. PostgreSQL plans by its statistics, and a database that is never analysed (this
// test's, like any whose autovacuum is off or behind during a storm) once made it scan every
// stored alert entity for each batch: the storm slowed by half over 100,000 alerts. Here 30,000
// alerts are stored without statistics, then one batch is correlated with every statement's plan
// read first: none may scan the alert tables, and Rampart's sessions run without JIT.
const HOSTS = 400;
const STORED = 30_000;
const PER_REQUEST = 1_000;
const T0 = Date.parse('2026-11-30T08:00:00Z');
const BIG_TABLES = new Set(['alert', 'alert_entity', 'incident_alert']);

let rampart: TestRampart;
let client: Client;

beforeAll(async () => {
  rampart = await startTestRampart();
  client = new Client({ connectionString: rampart.db.url });
  await client.connect();
}, 120_000);

afterAll(async () => {
  await client?.end();
  await rampart?.stop();
});

function stormAlert(n: number) {
  return buildSampleAlert('elastic', {
    id: `plan-${n}`,
    title: 'Suspicious PowerShell execution',
    time: new Date(T0 + n * 10),
    host: `plan-host-${n % HOSTS}`,
    severity: 'medium',
  });
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function seqScans(node: PlanNode, found: string[] = []): string[] {
  if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] && BIG_TABLES.has(node['Relation Name']))
    found.push(node['Relation Name']);
  for (const child of node.Plans ?? []) seqScans(child, found);
  return found;
}

/** Runs each statement after asking PostgreSQL for its plan; keeps the plans. */
class PlanReadingExecutor extends SqlExecutor {
  readonly plans: { statement: string; scans: string[] }[] = [];

  constructor(private readonly connection: Client) {
    super();
  }

  async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    if (/^\s*(WITH|SELECT|INSERT|UPDATE|DELETE)\b/i.test(sql)) {
      const [row] = (await this.connection.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters)).rows as {
        'QUERY PLAN': [{ Plan: PlanNode }];
      }[];
      this.plans.push({
        statement: sql.replace(/\s+/g, ' ').slice(0, 80),
        scans: seqScans(row!['QUERY PLAN'][0].Plan),
      });
    }
    return (await this.connection.query(sql, parameters)).rows as T[];
  }
}

describe('correlation statements on a database without statistics', () => {
  it('read the stored alerts through their indexes, never by scanning them, and without JIT', async () => {
    for (let first = 0; first < STORED; first += PER_REQUEST) {
      const body = JSON.stringify(Array.from({ length: PER_REQUEST }, (_, n) => stormAlert(first + n)));
      const response = await fetch(`${rampart.url}/api/v1/alerts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${rampart.adminKey}`, 'Content-Type': 'application/json' },
        body,
      });
      expect(response.status).toBe(202);
    }
    const [{ analysed }] = (
      await client.query<{ analysed: number }>(
        `SELECT count(*)::int AS analysed FROM pg_stat_user_tables
          WHERE relname = 'alert_entity' AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)`,
      )
    ).rows as [{ analysed: number }];
    // The premise: if this database was analysed meanwhile, the plans prove nothing.
    expect(analysed).toBe(0);

    const batch = Array.from({ length: 25 }, (_, n) => identifiedAlert(stormAlert(STORED + n)));
    const executor = new PlanReadingExecutor(client);
    await client.query('BEGIN');
    try {
      const stored = await rampart.app.get(AlertStore).insertNew(executor, batch, 'webhook');
      const outcome = await rampart.app.get(CorrelateAlertsUseCase).execute(executor, stored);
      await client.query('COMMIT');
      expect(stored).toHaveLength(25);
      expect(outcome.incidentsUpdated).toBeGreaterThan(0);
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    expect(executor.plans.length).toBeGreaterThan(8);
    expect(executor.plans.filter((plan) => plan.scans.length > 0)).toEqual([]);

    const [setting] = await rampart.app
      .get(SqlExecutor)
      .query<{ jit: string }>(`SELECT current_setting('jit') AS jit`);
    expect(setting?.jit).toBe('off');
  }, 180_000);
});
