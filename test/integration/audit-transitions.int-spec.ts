import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { ActionSweeper } from '@rampart/containment';
import { PanOsFake } from '@rampart/vendor-fakes';

import { bearer, createConnector, eventually } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Acceptance: every engine and containment transition leaves exactly one audit entry. A run
// waits for an approval, blocks an address that expires; a second run meets a protected asset (a
// guardrail refusal); an action through the API is rolled back. The entries are counted by
// action, for each thing they are about, and checked against the state the things ended in.

const panos = new PanOsFake();
const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-audit-transitions-'));
let rampart: TestRampart;
const api = () => request(rampart.url);

// Started by hand only: their triggers never match.
const PLAYBOOKS: Record<string, string> = {
  'approve-then-block.yaml': `
id: approve-then-block
name: Ask, then block for a moment
version: 1
owner: tests
trigger:
  on: [incident.created]
  when:
    entity: { type: host, value: never-matches.example }
steps:
  - id: ask
    kind: approval
    message: 'Block 198.51.100.10 for {{incident.title}}?'
    approvers: { roles: [admin] }
    timeout: 1h
    on_timeout: reject
  - id: block
    kind: action
    operation: block_ip
    target: 198.51.100.10
    expires_after: 1s
  - id: mark-contained
    kind: incident
    status: contained
    comment: '198.51.100.10 blocked for a moment.'
`,
  'block-protected.yaml': `
id: block-protected
name: Block what a guardrail protects
version: 1
owner: tests
trigger:
  on: [incident.created]
  when:
    entity: { type: host, value: never-matches.example }
steps:
  - id: block
    kind: action
    operation: block_ip
    target: 192.0.2.5
`,
};

beforeAll(async () => {
  for (const [file, text] of Object.entries(PLAYBOOKS)) writeFileSync(path.join(dir, file), text);
  await panos.start();
  rampart = await startTestRampart({ PLAYBOOKS_DIR: dir });
  await createConnector(rampart, {
    name: 'edge-fw',
    type: 'panos',
    baseUrl: panos.baseUrl,
    credentials: { apiKey: panos.apiKey },
  });
});

afterAll(async () => {
  await rampart?.stop();
  await panos.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The actions of the entries about `targetIds`, oldest first, with who wrote them. */
async function entriesAbout(targetIds: string[]) {
  return rampart.db.query<{ action: string; actor: string }>(
    `SELECT action, actor_kind || ':' || actor_name AS actor FROM audit_entry
      WHERE target_id = ANY($1::text[]) ORDER BY seq`,
    [targetIds],
  );
}

async function incident(): Promise<string> {
  await api()
    .post('/api/v1/alerts')
    .set(bearer(rampart.adminKey))
    .send(
      buildSampleAlert('suricata', {
        id: 'audit-transitions-1',
        time: new Date(),
        host: 'transitions-host',
        srcIp: '198.51.100.10',
        severity: 'low',
      }) as object,
    )
    .expect(202);
  return eventually(async () => {
    const [row] = await rampart.db.query<{ id: string }>(`SELECT id::text FROM incident LIMIT 1`);
    return row?.id;
  });
}

/** Starts approve-then-block on the incident by hand; its run id once it waits for the approval. */
async function runAwaitingApproval(incidentId: string): Promise<{ runId: string; approvalId: string }> {
  const started = await api()
    .post(`/api/v1/incidents/${incidentId}/runs`)
    .set(bearer(rampart.adminKey))
    .send({ playbook: 'approve-then-block' })
    .expect(201);
  const runId = started.body.id as string;
  const approvalId = await eventually(async () => {
    const [row] = await rampart.db.query<{ id: string }>(
      `SELECT id FROM playbook_approval WHERE run_id = $1 AND status = 'pending'`,
      [runId],
    );
    return row?.id;
  });
  return { runId, approvalId };
}

async function finished(runId: string) {
  return eventually(async () => {
    const detail = await api().get(`/api/v1/runs/${runId}`).set(bearer(rampart.adminKey)).expect(200);
    return detail.body.status !== 'running' ? detail.body : undefined;
  }, 30_000);
}

describe('engine and containment transitions', () => {
  it('each leave exactly one audit entry', async () => {
    rampart.app.get(ActionSweeper).setIntervalMs(300);
    const incidentId = await incident();
    await api()
      .post('/api/v1/protected-assets')
      .set(bearer(rampart.adminKey))
      .send({ kind: 'cidr', value: '192.0.2.0/24', reason: 'the SOC itself' })
      .expect(201);

    // A run with an approval, and a block that expires.
    const { runId, approvalId } = await runAwaitingApproval(incidentId);
    await api()
      .post(`/api/v1/runs/${runId}/approvals/ask`)
      .set(bearer(rampart.adminKey))
      .send({ decision: 'approve' })
      .expect(200);
    const run = await finished(runId);
    expect(run.status).toBe('succeeded');
    const [block] = run.actions as { actionId: string }[];
    const expired = await eventually(async () => {
      const action = await api()
        .get(`/api/v1/actions/${block?.actionId}`)
        .set(bearer(rampart.adminKey))
        .expect(200);
      return action.body.state === 'expired' ? action.body : undefined;
    }, 20_000);
    expect(expired.state).toBe('expired');

    expect(await entriesAbout([runId])).toEqual([
      { action: 'run.started', actor: 'api_key:SOAR_ADMIN_API_KEY' },
      { action: 'run.step_completed', actor: 'system:engine' },
      { action: 'run.step_dispatched', actor: 'system:engine' },
      { action: 'run.step_completed', actor: 'system:engine' },
      { action: 'run.step_completed', actor: 'system:engine' },
      { action: 'run.completed', actor: 'system:engine' },
    ]);
    expect(await entriesAbout([approvalId])).toEqual([
      { action: 'approval.requested', actor: 'system:engine' },
      { action: 'approval.decided', actor: 'api_key:SOAR_ADMIN_API_KEY' },
    ]);
    expect(await entriesAbout([block?.actionId as string])).toEqual([
      { action: 'action.requested', actor: 'system:engine' },
      { action: 'action.executed', actor: 'system:engine' },
      { action: 'action.expired', actor: 'system:sweeper' },
    ]);

    // A guardrail refusal in a run.
    const refusedRun = await api()
      .post(`/api/v1/incidents/${incidentId}/runs`)
      .set(bearer(rampart.adminKey))
      .send({ playbook: 'block-protected' })
      .expect(201);
    const refused = await finished(refusedRun.body.id as string);
    expect(refused.actions).toEqual([expect.objectContaining({ state: 'refused' })]);
    expect(await entriesAbout([refused.actions[0].actionId as string])).toEqual([
      { action: 'action.refused', actor: 'system:engine' },
    ]);
    const runEntries = await entriesAbout([refusedRun.body.id as string]);
    expect(runEntries.map((entry) => entry.action)).toEqual([
      'run.started',
      'run.step_dispatched',
      'run.step_failed',
      'run.failed',
    ]);
    expect(refused.status).toBe('failed');

    // An action through the API, rolled back.
    const executed = await api()
      .post('/api/v1/actions')
      .set(bearer(rampart.adminKey))
      .send({
        connector: 'edge-fw',
        operation: 'block_ip',
        target: '198.51.100.20',
        idempotencyKey: 'transitions-1',
      })
      .expect(201);
    await api()
      .post(`/api/v1/actions/${executed.body.id}/rollback`)
      .set(bearer(rampart.adminKey))
      .expect(200);
    expect(await entriesAbout([executed.body.id as string])).toEqual([
      { action: 'action.requested', actor: 'api_key:SOAR_ADMIN_API_KEY' },
      { action: 'action.executed', actor: 'api_key:SOAR_ADMIN_API_KEY' },
      { action: 'action.rollback_requested', actor: 'api_key:SOAR_ADMIN_API_KEY' },
      { action: 'action.rolled_back', actor: 'api_key:SOAR_ADMIN_API_KEY' },
    ]);

    // The incident: opened by correlation, then marked contained (with a comment) by the run.
    expect(await entriesAbout([incidentId])).toEqual([
      { action: 'incident.created', actor: 'system:correlation' },
      { action: 'incident.updated', actor: 'system:engine' },
      { action: 'incident.commented', actor: 'system:engine' },
    ]);

    const verified = await api().get('/api/v1/audit/verify').set(bearer(rampart.adminKey)).expect(200);
    expect(verified.body.valid).toBe(true);
  });

  it('a cancelled run: the request by its caller, the cancellation by the engine', async () => {
    const [{ id: incidentId } = { id: '' }] = await rampart.db.query<{ id: string }>(
      `SELECT id::text FROM incident LIMIT 1`,
    );
    const { runId, approvalId } = await runAwaitingApproval(incidentId);
    await api().post(`/api/v1/runs/${runId}/cancel`).set(bearer(rampart.adminKey)).send({}).expect(202);
    expect((await finished(runId)).status).toBe('cancelled');
    expect(await entriesAbout([runId])).toEqual([
      { action: 'run.started', actor: 'api_key:SOAR_ADMIN_API_KEY' },
      { action: 'run.cancel_requested', actor: 'api_key:SOAR_ADMIN_API_KEY' },
      { action: 'run.step_cancelled', actor: 'system:engine' },
      { action: 'run.cancelled', actor: 'system:engine' },
    ]);
    expect(await entriesAbout([approvalId])).toEqual([
      { action: 'approval.requested', actor: 'system:engine' },
      { action: 'approval.withdrawn', actor: 'system:engine' },
    ]);
  });
});
