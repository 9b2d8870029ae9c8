import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';
import { ActionSweeper } from '@rampart/containment';
import { PanOsFake, WebhookFake } from '@rampart/vendor-fakes';

import { addApiKey, bearer, createConnector, eventually } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Playbook runs end to end in one process (api + engine): an alert in by webhook, the incident
// correlated, a playbook triggered from the incident event feed, the block at the firewall fake,
// the expiry lifting it; approvals decided through the API; a guardrail refusal in the run; a
// dry-run and a manual run.
const responderKey = 'rk_responder_key_for_playbook_tests00';
const analystKey = 'rk_analyst_key_for_playbook_tests0000';
const panos = new PanOsFake();
const webhook = new WebhookFake({ mode: 'json' });
const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-playbooks-'));
let rampart: TestRampart;

const api = () => request(rampart.url);

const PLAYBOOKS: Record<string, string> = {
  'block-scanner.yaml': `
id: block-scanner
name: Block a scanning source
version: 1
owner: tests
trigger:
  on: [incident.created]
  when:
    all:
      - severity: { at_least: high }
      - entity: { type: ip, role: source }
steps:
  - id: block-sources
    kind: for_each
    entities: { type: ip, role: source }
    steps:
      - id: block
        kind: action
        operation: block_ip
        target: '{{item.value}}'
        reason: 'incident #{{incident.number}}'
        expires_after: 3s
`,
  'approve-then-notify.yaml': `
id: approve-then-notify
name: Ask, then tell
version: 1
owner: tests
enabled: true
trigger:
  on: [incident.created]
  when:
    entity: { type: host, value: approval-host }
steps:
  - id: ask
    kind: approval
    message: 'Tell the SOC about {{incident.title}}?'
    approvers: { roles: [responder] }
    timeout: 1h
    on_timeout: reject
  - id: tell
    kind: action
    operation: notify
    target: 'approved by a responder: {{incident.title}}'
`,
};

async function sendAlert(spec: Parameters<typeof buildSampleAlert>[1]) {
  await api()
    .post('/api/v1/alerts')
    .set(bearer(rampart.adminKey))
    .send(buildSampleAlert('suricata', spec) as object)
    .expect(202);
}

async function runsOf(playbook: string) {
  const list = await api().get(`/api/v1/runs?playbook=${playbook}`).set(bearer(responderKey)).expect(200);
  return list.body.items as { id: string; status: string; incidentId: string }[];
}

async function finishedRun(playbook: string) {
  return eventually(async () => {
    const [run] = await runsOf(playbook);
    if (!run || run.status === 'running') return undefined;
    return (await api().get(`/api/v1/runs/${run.id}`).set(bearer(responderKey)).expect(200)).body;
  }, 30_000);
}

beforeAll(async () => {
  for (const [file, text] of Object.entries(PLAYBOOKS)) writeFileSync(path.join(dir, file), text);
  await Promise.all([panos.start(), webhook.start()]);
  rampart = await startTestRampart({ PLAYBOOKS_DIR: dir });
  await addApiKey(rampart, 'responder', responderKey);
  await addApiKey(rampart, 'analyst', analystKey);
  await createConnector(rampart, {
    name: 'edge-fw',
    type: 'panos',
    baseUrl: panos.baseUrl,
    credentials: { apiKey: panos.apiKey },
  });
  await createConnector(rampart, {
    name: 'soc-hook',
    type: 'webhook',
    baseUrl: webhook.endpoint,
    credentials: {},
  });
});

afterAll(async () => {
  await rampart?.stop();
  await Promise.all([panos.stop(), webhook.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('a triggered playbook', () => {
  it('blocks the source at the firewall once, shows run and action, and the expiry lifts the block', async () => {
    rampart.app.get(ActionSweeper).setIntervalMs(300);
    await sendAlert({
      id: 'pb-1',
      time: new Date(),
      srcIp: '203.0.113.50',
      dstIp: '10.1.1.5',
      severity: 'high',
    });
    const run = await finishedRun('block-scanner');
    expect(run).toMatchObject({ status: 'succeeded', playbookId: 'block-scanner', startedBy: 'trigger' });
    expect(run.actions).toEqual([
      expect.objectContaining({
        operation: 'block_ip',
        target: '203.0.113.50',
        state: 'succeeded',
        dispatch: 'done',
      }),
    ]);
    expect(run.actions[0].idempotencyKey).toMatch(new RegExp(`^run:${run.id}:block`));
    expect(
      run.steps.map((step: { stepId: string; status: string }) => `${step.stepId}:${step.status}`),
    ).toEqual(expect.arrayContaining(['block-sources:succeeded']));
    expect(panos.changes.register).toBe(1);

    const action = await api()
      .get(`/api/v1/actions/${run.actions[0].actionId}`)
      .set(bearer(responderKey))
      .expect(200);
    expect(action.body).toMatchObject({ incidentId: run.incidentId, requestedBy: `playbook:${run.id}` });
    const lifted = await eventually(async () => {
      const current = await api().get(`/api/v1/actions/${run.actions[0].actionId}`).set(bearer(responderKey));
      return current.body.state === 'expired' ? current.body : undefined;
    }, 30_000);
    expect(lifted.rollbacks).toEqual([
      expect.objectContaining({ operation: 'unblock_ip', state: 'succeeded' }),
    ]);
    expect(panos.tagsOf('203.0.113.50')).toEqual([]);

    const incident = await api()
      .get(`/api/v1/incidents/${run.incidentId}`)
      .set(bearer(responderKey))
      .expect(200);
    expect(incident.body.timeline.map((entry: { kind: string }) => entry.kind)).toEqual(
      expect.arrayContaining(['playbook_run_started', 'playbook_run_finished']),
    );
    expect(incident.body.runs).toEqual([
      expect.objectContaining({ id: run.id, playbookId: 'block-scanner', status: 'succeeded' }),
    ]);
  });
});

describe('approvals', () => {
  it('waits for a responder, refuses others, and goes on once approved', async () => {
    await sendAlert({ id: 'pb-approval', time: new Date(), host: 'approval-host', srcIp: '10.9.9.9' });
    const run = await eventually(async () => {
      const [found] = await runsOf('approve-then-notify');
      if (!found) return undefined;
      const detail = await api().get(`/api/v1/runs/${found.id}`).set(bearer(responderKey));
      return detail.body.approvals?.length ? detail.body : undefined;
    }, 30_000);
    expect(run.approvals).toEqual([expect.objectContaining({ stepId: 'ask', status: 'pending' })]);
    const inbox = await api().get('/api/v1/approvals?status=pending').set(bearer(analystKey)).expect(200);
    expect(inbox.body.items.map((item: { runId: string }) => item.runId)).toContain(run.id);

    const refused = await api()
      .post(`/api/v1/runs/${run.id}/approvals/ask`)
      .set(bearer(analystKey))
      .send({ decision: 'approve' })
      .expect(403);
    expect(refused.body.code).toBe('forbidden');
    const approved = await api()
      .post(`/api/v1/runs/${run.id}/approvals/ask`)
      .set(bearer(responderKey))
      .send({ decision: 'approve', reason: 'go ahead' })
      .expect(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      decidedBy: 'responder key',
      reason: 'go ahead',
    });
    await api()
      .post(`/api/v1/runs/${run.id}/approvals/ask`)
      .set(bearer(responderKey))
      .send({ decision: 'reject' })
      .expect(409);

    const finished = await finishedRun('approve-then-notify');
    expect(finished.status).toBe('succeeded');
    expect(webhook.received.map((message) => message.body)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ text: expect.stringContaining('approved by a responder') }),
      ]),
    );
    const incident = await api()
      .get(`/api/v1/incidents/${run.incidentId}`)
      .set(bearer(responderKey))
      .expect(200);
    expect(incident.body.timeline.map((entry: { kind: string }) => entry.kind)).toEqual(
      expect.arrayContaining(['playbook_approval_requested', 'playbook_approval_decided']),
    );
  });
});

describe('by hand', () => {
  it('dry-runs and starts a playbook on an incident; a guardrail refusal shows in the run', async () => {
    await sendAlert({
      id: 'pb-manual',
      time: new Date(),
      host: 'manual-host',
      srcIp: '198.51.100.66',
      severity: 'low',
    });
    const incidents = await api()
      .get('/api/v1/incidents?entity=host:manual-host')
      .set(bearer(analystKey))
      .expect(200);
    const incidentId = incidents.body.items[0].id as string;
    await api()
      .post('/api/v1/protected-assets')
      .set(bearer(rampart.adminKey))
      .send({ kind: 'cidr', value: '198.51.100.66', reason: 'partner' })
      .expect(201);

    const dry = await api()
      .post(`/api/v1/incidents/${incidentId}/runs`)
      .set(bearer(analystKey))
      .send({ playbook: 'block-scanner', dryRun: true })
      .expect(200);
    expect(dry.body.actions).toEqual([
      expect.objectContaining({
        operation: 'block_ip',
        connector: 'edge-fw',
        target: '198.51.100.66',
        guardrail: expect.objectContaining({ verdict: 'refuse' }),
      }),
    ]);
    const blocksBefore = panos.changes.register;
    const started = await api()
      .post(`/api/v1/incidents/${incidentId}/runs`)
      .set(bearer(analystKey))
      .send({ playbook: 'block-scanner' })
      .expect(201);
    const run = await eventually(async () => {
      const detail = await api().get(`/api/v1/runs/${started.body.id}`).set(bearer(analystKey));
      return detail.body.status !== 'running' ? detail.body : undefined;
    }, 30_000);
    expect(run.startedBy).toBe('analyst key');
    expect(run.actions).toEqual([expect.objectContaining({ state: 'refused', target: '198.51.100.66' })]);
    expect(run.steps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          stepId: 'block',
          error: expect.objectContaining({ code: expect.stringMatching(/refused/) }),
        }),
      ]),
    );
    expect(panos.changes.register).toBe(blocksBefore);

    await api()
      .post(`/api/v1/incidents/${incidentId}/runs`)
      .set(bearer(analystKey))
      .send({ playbook: 'no-such-playbook' })
      .expect(404);
  });
});
