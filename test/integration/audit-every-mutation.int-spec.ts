import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { PanOsFake } from '@rampart/vendor-fakes';

import { OpenApiDocumentBuilder } from '../../apps/api/src/openapi/openapi-document';
import { sessionCookieOf } from '../support/auth-support';
import { bearer, eventually } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Acceptance: every mutating route the OpenAPI document lists (POST, PUT, PATCH, DELETE, unless
// the operation says `x-rampart-changes-state: false`), called with a valid request, leaves
// exactly the audit entries of the transitions it makes, all of this request, and nothing else
// of it. A route that changes nothing (a validation) leaves none.

const panos = new PanOsFake({ password: 'panos-pw-every-mutation', apiKey: 'panos-key-every-mutation' });
const playbooksDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-every-mutation-'));
let rampart: TestRampart;

// Started by hand only (its trigger never matches): waits for an admin's approval, then for a day.
const WAITING_PLAYBOOK = `
id: ask-and-wait
name: Ask, then wait
version: 1
owner: tests
trigger:
  on: [incident.created]
  when:
    entity: { type: host, value: never-matches.example }
steps:
  - id: ask
    kind: approval
    message: 'Go on with {{incident.title}}?'
    approvers: { roles: [admin] }
    timeout: 1h
    on_timeout: reject
  - id: linger
    kind: wait
    duration: 1d
`;

/** What earlier steps made and later ones use. */
const made: Record<string, string> = {};

interface Step {
  route: string;
  path: () => string;
  body?: () => object;
  /** The audit actions the call leaves, in order, all carrying its request id. */
  actions: string[];
  /** Who they name (default: the admin API key). */
  actor?: string;
  /** Credentials: the admin API key (default), the signed-in user's session, or none. */
  as?: 'admin' | 'session' | 'anonymous';
  after?: (body: Record<string, unknown>, headers: Record<string, unknown>) => void | Promise<void>;
}

const from = new Date(Date.now() - 86_400_000).toISOString();
const to = new Date().toISOString();

// In order: what a later step needs, an earlier one makes.
const STEPS = (): Step[] => [
  {
    route: 'put /api/v1/intake-sources/{name}',
    path: () => '/api/v1/intake-sources/siem-1',
    body: () => ({ hmacSecret: 'an-hmac-secret-long-enough' }),
    actions: ['intake_source.created'],
  },
  {
    route: 'delete /api/v1/intake-sources/{name}',
    path: () => '/api/v1/intake-sources/siem-1',
    actions: ['intake_source.deleted'],
  },
  {
    route: 'post /api/v1/connectors',
    path: () => '/api/v1/connectors',
    body: () => ({
      name: 'edge-fw',
      type: 'panos',
      baseUrl: panos.baseUrl,
      credentials: { username: panos.username, password: panos.password },
    }),
    actions: ['connector.created'],
  },
  {
    route: 'put /api/v1/connectors/{name}',
    path: () => '/api/v1/connectors/edge-fw',
    body: () => ({ type: 'panos', baseUrl: panos.baseUrl, options: { tag: 'blocked' } }),
    actions: ['connector.updated'],
  },
  {
    route: 'post /api/v1/connectors/{name}/check',
    path: () => '/api/v1/connectors/edge-fw/check',
    actions: ['connector.checked'],
  },
  {
    route: 'post /api/v1/actions',
    path: () => '/api/v1/actions',
    body: () => ({
      connector: 'edge-fw',
      operation: 'block_ip',
      target: '198.51.100.77',
      idempotencyKey: 'every-mutation-block',
      expiresInSeconds: 3600,
    }),
    // Leased and committed, then the vendor call, then its outcome: two transitions.
    actions: ['action.requested', 'action.executed'],
    after: (body) => {
      made.action = String(body.id);
    },
  },
  {
    route: 'post /api/v1/actions/{id}/rollback',
    path: () => `/api/v1/actions/${made.action}/rollback`,
    actions: ['action.rollback_requested', 'action.rolled_back'],
  },
  {
    route: 'delete /api/v1/connectors/{name}',
    path: () => '/api/v1/connectors/edge-fw',
    actions: ['connector.deleted'],
  },
  {
    route: 'post /api/v1/protected-assets',
    path: () => '/api/v1/protected-assets',
    body: () => ({ kind: 'cidr', value: '192.0.2.0/24', reason: 'the SOC itself' }),
    actions: ['protected_asset.created'],
    after: (body) => {
      made.asset = String(body.id);
    },
  },
  {
    route: 'delete /api/v1/protected-assets/{id}',
    path: () => `/api/v1/protected-assets/${made.asset}`,
    actions: ['protected_asset.deleted'],
  },
  {
    route: 'patch /api/v1/incidents/{id}',
    path: () => `/api/v1/incidents/${made.incident}`,
    body: () => ({ status: 'acknowledged', assignee: 'alice' }),
    actions: ['incident.updated'],
  },
  {
    route: 'post /api/v1/incidents/{id}/comments',
    path: () => `/api/v1/incidents/${made.incident}/comments`,
    body: () => ({ text: 'looked at it' }),
    actions: ['incident.commented'],
  },
  {
    route: 'post /api/v1/incidents/{id}/runs',
    path: () => `/api/v1/incidents/${made.incident}/runs`,
    body: () => ({ playbook: 'ask-and-wait' }),
    // Started by the caller; what the engine does next is its own (engine) entries.
    actions: ['run.started'],
    after: async (body) => {
      made.run = String(body.id);
      await eventually(async () => {
        const [approval] = await rampart.db.query(
          `SELECT 1 FROM playbook_approval WHERE run_id = $1 AND status = 'pending'`,
          [made.run],
        );
        return approval;
      }, 20_000);
    },
  },
  {
    route: 'post /api/v1/runs/{id}/approvals/{step}',
    path: () => `/api/v1/runs/${made.run}/approvals/ask`,
    body: () => ({ decision: 'approve', reason: 'go on' }),
    actions: ['approval.decided'],
  },
  {
    route: 'post /api/v1/runs/{id}/cancel',
    path: () => `/api/v1/runs/${made.run}/cancel`,
    body: () => ({ reason: 'enough' }),
    actions: ['run.cancel_requested'],
  },
  {
    route: 'post /api/v1/users',
    path: () => '/api/v1/users',
    body: () => ({
      username: 'mallory',
      role: 'analyst',
      authSource: 'local',
      password: 'a long first password 1',
    }),
    actions: ['user.created'],
    after: (body) => {
      made.user = String(body.id);
    },
  },
  {
    route: 'patch /api/v1/users/{id}',
    path: () => `/api/v1/users/${made.user}`,
    body: () => ({ displayName: 'Mallory M.' }),
    actions: ['user.updated'],
  },
  {
    route: 'post /api/v1/auth/login',
    path: () => '/api/v1/auth/login',
    body: () => ({ username: 'mallory', password: 'a long first password 1' }),
    actions: ['login.succeeded'],
    actor: 'mallory',
    as: 'anonymous',
    after: (body, headers) => {
      made.cookie = (sessionCookieOf(headers['set-cookie']) ?? '').split(';')[0] as string;
      made.csrf = String(body.csrfToken);
    },
  },
  {
    route: 'post /api/v1/auth/password',
    path: () => '/api/v1/auth/password',
    body: () => ({ currentPassword: 'a long first password 1', newPassword: 'a longer second password 2' }),
    actions: ['user.password_changed'],
    actor: 'mallory',
    as: 'session',
  },
  {
    route: 'post /api/v1/auth/logout',
    path: () => '/api/v1/auth/logout',
    actions: ['logout'],
    actor: 'mallory',
    as: 'session',
  },
  {
    route: 'delete /api/v1/users/{id}',
    path: () => `/api/v1/users/${made.user}`,
    actions: ['user.deleted'],
  },
  {
    route: 'post /api/v1/api-keys',
    path: () => '/api/v1/api-keys',
    body: () => ({ name: 'siem-2', role: 'ingest' }),
    actions: ['api_key.issued'],
    after: async (body) => {
      made.key = String(body.id);
      // The secret is in this answer only: never in the trail.
      const [leaked] = await rampart.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_entry WHERE concat(before::text, after::text) LIKE $1`,
        [`%${String(body.key)}%`],
      );
      expect(leaked?.n).toBe(0);
    },
  },
  {
    route: 'delete /api/v1/api-keys/{id}',
    path: () => `/api/v1/api-keys/${made.key}`,
    actions: ['api_key.revoked'],
  },
  {
    route: 'post /api/v1/reports',
    path: () => '/api/v1/reports',
    body: () => ({ kind: 'access_review', format: 'json', from, to }),
    actions: ['report.generated'],
  },
  {
    route: 'post /api/v1/report-schedules',
    path: () => '/api/v1/report-schedules',
    body: () => ({ name: 'weekly', kind: 'audit_integrity', format: 'pdf', cron: '0 6 * * 1' }),
    actions: ['report_schedule.created'],
  },
  {
    route: 'put /api/v1/report-schedules/{name}',
    path: () => '/api/v1/report-schedules/weekly',
    body: () => ({ kind: 'audit_integrity', format: 'html', cron: '0 7 * * 1', enabled: false }),
    actions: ['report_schedule.updated'],
  },
  {
    route: 'delete /api/v1/report-schedules/{name}',
    path: () => '/api/v1/report-schedules/weekly',
    actions: ['report_schedule.deleted'],
  },
];

/** Routes whose valid call changes nothing, and one such call each. */
const NON_MUTATING = (): Step[] => [
  {
    route: 'post /api/v1/playbooks/validate',
    path: () => '/api/v1/playbooks/validate',
    body: () => ({ yaml: WAITING_PLAYBOOK.replace('ask-and-wait', 'another-one') }),
    actions: [],
  },
];

beforeAll(async () => {
  writeFileSync(path.join(playbooksDir, 'ask-and-wait.yaml'), WAITING_PLAYBOOK);
  await panos.start();
  rampart = await startTestRampart({ PLAYBOOKS_DIR: playbooksDir });
});

afterAll(async () => {
  await rampart?.stop();
  await panos.stop();
  rmSync(playbooksDir, { recursive: true, force: true });
});

async function headSeq(): Promise<number> {
  const [row] = await rampart.db.query<{ seq: string }>(`SELECT seq::text AS seq FROM audit_chain_head`);
  return Number(row?.seq);
}

type Method = 'post' | 'put' | 'patch' | 'delete';

function documentedRoutes() {
  const document = rampart.app.get(OpenApiDocumentBuilder).build() as {
    paths: Record<string, Record<string, { 'x-rampart-changes-state'?: boolean }>>;
  };
  const mutating: string[] = [];
  const unchanging: string[] = [];
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
      (operation['x-rampart-changes-state'] === false ? unchanging : mutating).push(`${method} ${route}`);
    }
  }
  return { mutating, unchanging };
}

async function call(step: Step, requestId: string) {
  const [method] = step.route.split(' ') as [Method];
  let call = request(rampart.url)[method](step.path()).set('X-Request-Id', requestId);
  if ((step.as ?? 'admin') === 'admin') call = call.set(bearer(rampart.adminKey));
  if (step.as === 'session')
    call = call.set('Cookie', made.cookie as string).set('X-CSRF-Token', made.csrf as string);
  if (step.body) call = call.send(step.body());
  return call;
}

describe('every mutating route', () => {
  it('POST /api/v1/alerts is audited by the incident changes it causes', async () => {
    const before = await headSeq();
    await request(rampart.url)
      .post('/api/v1/alerts')
      .set(bearer(rampart.adminKey))
      .send(
        buildSampleAlert('suricata', {
          id: 'every-mutation-alert',
          time: new Date(),
          srcIp: '198.51.100.200',
          dstIp: '10.9.9.9',
          severity: 'low',
        }) as object,
      )
      .expect(202);
    const entries = await eventually(async () => {
      const rows = await rampart.db.query<{ action: string; actor_name: string; target_id: string }>(
        `SELECT action, actor_name, target_id FROM audit_entry WHERE seq > $1 ORDER BY seq`,
        [before],
      );
      return rows.length > 0 ? rows : undefined;
    });
    // One alert, one new incident: one entry, by correlation.
    expect(entries).toEqual([
      { action: 'incident.created', actor_name: 'correlation', target_id: expect.any(String) },
    ]);
    made.incident = entries[0]?.target_id as string;
  });

  it('leaves exactly the entries of its transitions, of this request', async () => {
    const { mutating, unchanging } = documentedRoutes();
    const steps = STEPS();
    const covered = new Set([...steps.map((step) => step.route), 'post /api/v1/alerts']);
    expect(mutating.filter((route) => !covered.has(route))).toEqual([]);
    expect([...covered].filter((route) => !mutating.includes(route))).toEqual([]);
    expect(unchanging.sort()).toEqual(
      NON_MUTATING()
        .map((step) => step.route)
        .sort(),
    );

    const problems: string[] = [];
    for (const [index, step] of steps.entries()) {
      const requestId = `every-mutation-${index}`;
      const response = await call(step, requestId);
      if (response.status >= 300) {
        problems.push(`${step.route}: answered ${response.status} ${response.text}`);
        continue;
      }
      await step.after?.(response.body as Record<string, unknown>, response.headers);
      const entries = await rampart.db.query<{ action: string; actor_name: string }>(
        `SELECT action, actor_name FROM audit_entry WHERE request_id = $1 ORDER BY seq`,
        [requestId],
      );
      const described = entries.map((entry) => `${entry.action} by ${entry.actor_name}`).join(', ');
      const actor = step.actor ?? 'SOAR_ADMIN_API_KEY';
      if (
        entries.length !== step.actions.length ||
        entries.some((entry, i) => entry.action !== step.actions[i] || entry.actor_name !== actor)
      ) {
        problems.push(`${step.route}: expected ${step.actions.join(', ')} by ${actor}, found ${described}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('leaves no entry for a route that changes nothing, nor for a dry run', async () => {
    for (const [index, step] of NON_MUTATING().entries()) {
      const requestId = `every-mutation-unchanging-${index}`;
      const response = await call(step, requestId);
      expect(response.status).toBe(200);
      expect(await rampart.db.query(`SELECT 1 FROM audit_entry WHERE request_id = $1`, [requestId])).toEqual(
        [],
      );
    }
    await request(rampart.url)
      .post(`/api/v1/incidents/${made.incident}/runs`)
      .set(bearer(rampart.adminKey))
      .set('X-Request-Id', 'every-mutation-dry-run')
      .send({ playbook: 'ask-and-wait', dryRun: true })
      .expect(200);
    expect(
      await rampart.db.query(`SELECT 1 FROM audit_entry WHERE request_id = 'every-mutation-dry-run'`),
    ).toEqual([]);
  });

  it('leaves no entry when the change is refused', async () => {
    const before = await headSeq();
    await request(rampart.url)
      .delete('/api/v1/intake-sources/nothing-here')
      .set(bearer(rampart.adminKey))
      .expect(404);
    await request(rampart.url)
      .post('/api/v1/connectors')
      .set(bearer(rampart.adminKey))
      .send({ name: 'bad', type: 'panos', baseUrl: 'not a url', credentials: {} })
      .expect(400);
    expect(await headSeq()).toBe(before);
  });
});
