import {
  EDR,
  FIREWALLS,
  keysOf,
  ofType,
  playbookOf,
  RUN_ID,
  RunDriver,
  SLACK,
  snapshotOf,
  T0,
  timelineOf,
} from '../../test/support';
import { decide, mayDecide, RunStateError } from './decide';
import type { IncidentEntity } from './incident-snapshot';

const ATTACKER: IncidentEntity = { type: 'ip', value: '203.0.113.7', roles: ['source'] };
const INTERNAL: IncidentEntity = { type: 'ip', value: '10.0.0.5', roles: ['source'] };
const SENSOR: IncidentEntity = { type: 'ip', value: '192.0.2.250', roles: ['observer'] };
const WEB: IncidentEntity = { type: 'host', value: 'web-01', roles: ['related'] };
const DB: IncidentEntity = { type: 'host', value: 'srv-db-01', roles: ['related'] };
const RESPONDER = { kind: 'api_key', name: 'oncall', role: 'responder' } as const;
const VIEWER = { kind: 'api_key', name: 'intern', role: 'viewer' } as const;
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1_000).toISOString();

const BLOCK = [
  '- id: block',
  '  kind: action',
  '  operation: block_ip',
  "  target: '{{entities.[0].value}}'",
  "  reason: 'incident #{{incident.number}}'",
  '  expires_after: 1h',
];

describe('decide: action steps', () => {
  it('fans out to every connector of the capability, one key per connector, and succeeds when all do', () => {
    const run = new RunDriver(playbookOf(BLOCK));
    const commands = run.start(snapshotOf({}, [ATTACKER]), [...FIREWALLS, EDR]);
    const actions = ofType(commands, 'execute_action');
    expect(actions.map((action) => [action.connector, action.idempotencyKey])).toEqual([
      ['dc-fw', `run:${RUN_ID}:block:@dc-fw`],
      ['edge-fw', `run:${RUN_ID}:block:@edge-fw`],
    ]);
    expect(actions[0]).toMatchObject({
      operation: 'block_ip',
      target: '203.0.113.7',
      reason: 'incident #7',
      expiresAfterSeconds: 3600,
      incidentId: snapshotOf().incident.id,
      approval: null,
    });
    run.succeed(`run:${RUN_ID}:block:@dc-fw`);
    expect(run.status).toBe('running');
    const last = run.succeed(`run:${RUN_ID}:block:@edge-fw`);
    expect(ofType(last, 'finish_run')).toEqual([
      { type: 'finish_run', status: 'succeeded', reason: 'every step finished' },
    ]);
    expect(run.state?.steps['block']?.output).toMatchObject({ succeeded: 2, failed: 0 });
  });

  it('skips a step whose capability has no connector, with the reason, and goes on', () => {
    const run = new RunDriver(playbookOf([...BLOCK, '- { id: pause, kind: wait, duration: 1m }']));
    const commands = run.start(snapshotOf({}, [ATTACKER]), [EDR]);
    expect(keysOf(commands)).toEqual([]);
    expect(timelineOf(commands)).toContain(
      'step_skipped block: no firewall connector is available for block_ip',
    );
    expect(ofType(commands, 'schedule_wakeup')).toEqual([{ type: 'schedule_wakeup', at: at(60) }]);
  });

  it('by name: skips when the connector is missing, fails when it is of another capability', () => {
    const named = playbookOf([...BLOCK, '  connector: falcon']);
    const missing = new RunDriver(named).start(snapshotOf({}, [ATTACKER]), FIREWALLS);
    expect(timelineOf(missing)).toContain('step_skipped block: no connector named "falcon" is available');
    const wrong = new RunDriver(named);
    wrong.start(snapshotOf({}, [ATTACKER]), [EDR]);
    expect(wrong.state?.steps['block']?.error).toEqual({
      code: 'unsupported_operation',
      message: 'connector "falcon" is a edr connector: block_ip needs firewall',
    });
    expect(wrong.status).toBe('failed');
  });

  it('fails the step without sending anything when the target renders to something that is no target', () => {
    const run = new RunDriver(playbookOf(BLOCK));
    const commands = run.start(
      snapshotOf({}, [{ type: 'ip', value: '127.0.0.1', roles: ['source'] }]),
      FIREWALLS,
    );
    expect(keysOf(commands)).toEqual([]);
    expect(run.state?.steps['block']?.error?.code).toBe('invalid_target');
    expect(ofType(commands, 'finish_run')[0]?.reason).toMatch(
      /^step "block" failed: invalid_target: target "127.0.0.1"/,
    );
  });

  it('fails a step whose template reads a field the data lacks (strict templates), without retrying', () => {
    const run = new RunDriver(
      playbookOf([...BLOCK.slice(0, 3), "  target: '{{incident.nothing}}'", '  retry: {}']),
    );
    const commands = run.start(snapshotOf({}, [ATTACKER]), FIREWALLS);
    expect(run.state?.steps['block']?.error?.code).toBe('template_error');
    expect(ofType(commands, 'schedule_wakeup')).toEqual([]);
  });

  it('never compiles alert data: a template in an alert title is rendered as text', () => {
    const run = new RunDriver(
      playbookOf(['- { id: tell, kind: action, operation: notify, target: "{{incident.title}}" }']),
    );
    const [action] = ofType(
      run.start(snapshotOf({ title: '{{#each this}}{{/each}} {{lookup}}' }), [SLACK]),
      'execute_action',
    );
    expect(action?.target).toBe('{{#each this}}{{/each}} {{lookup}}');
  });

  it('retries only the connectors that failed, with backoff and a new key per attempt', () => {
    const run = new RunDriver(
      playbookOf([...BLOCK, '  retry: { max_retries: 2, initial_delay: 10s, jitter: none }']),
    );
    run.start(snapshotOf({}, [ATTACKER]), FIREWALLS);
    run.succeed(`run:${RUN_ID}:block:@dc-fw`);
    const failed = run.fail(`run:${RUN_ID}:block:@edge-fw`);
    expect(ofType(failed, 'schedule_wakeup')).toEqual([{ type: 'schedule_wakeup', at: at(10) }]);
    expect(run.state?.steps['block']?.status).toBe('waiting_retry');
    expect(keysOf(run.wakeAt(at(5)))).toEqual([]);
    expect(keysOf(run.wakeAt(at(10)))).toEqual([`run:${RUN_ID}:block:.r1@edge-fw`]);
    const again = run.fail(`run:${RUN_ID}:block:.r1@edge-fw`);
    expect(ofType(again, 'schedule_wakeup')).toEqual([{ type: 'schedule_wakeup', at: at(30) }]);
    expect(keysOf(run.wakeAt(at(30)))).toEqual([`run:${RUN_ID}:block:.r2@edge-fw`]);
    const done = run.fail(`run:${RUN_ID}:block:.r2@edge-fw`);
    expect(ofType(done, 'finish_run')[0]).toMatchObject({ status: 'failed' });
    expect(run.state?.steps['block']?.attempt).toBe(3);
  });

  it('does not retry a failure the containment layer says a retry cannot mend, nor a guardrail refusal', () => {
    const retrying = [...BLOCK, '  retry: { max_retries: 3 }'];
    const permanent = new RunDriver(playbookOf(retrying));
    permanent.start(snapshotOf({}, [ATTACKER]), [FIREWALLS[0]!]);
    permanent.fail(`run:${RUN_ID}:block:@edge-fw`, 'auth_failed', false);
    expect(permanent.status).toBe('failed');

    const refused = new RunDriver(playbookOf(retrying));
    refused.start(snapshotOf({}, [ATTACKER]), [FIREWALLS[0]!]);
    refused.send({
      type: 'action_result',
      idempotencyKey: `run:${RUN_ID}:block:@edge-fw`,
      result: { status: 'refused', rule: 'protected-asset:dmz', message: '203.0.113.0/24 is protected' },
    });
    expect(refused.state?.steps['block']?.error).toEqual({
      code: 'refused_by_guardrail',
      message: 'edge-fw: refused by guardrail protected-asset:dmz: 203.0.113.0/24 is protected',
    });
    expect(refused.status).toBe('failed');
  });

  it('asks for an approval when a guardrail wants one, and sends again with a new key once approved', () => {
    const run = new RunDriver(playbookOf(BLOCK));
    run.start(snapshotOf({}, [ATTACKER]), [FIREWALLS[0]!]);
    const asked = run.send({
      type: 'action_result',
      idempotencyKey: `run:${RUN_ID}:block:@edge-fw`,
      result: { status: 'approval_required', reason: 'more than 10 blocks this hour' },
    });
    const [request] = ofType(asked, 'request_approval');
    expect(request).toMatchObject({
      approvalId: `approval:${RUN_ID}:block:@edge-fw`,
      kind: 'guardrail',
      message: 'block_ip 203.0.113.7 through edge-fw needs an approval: more than 10 blocks this hour',
      action: { connector: 'edge-fw', operation: 'block_ip', idempotencyKey: `run:${RUN_ID}:block:@edge-fw` },
    });
    const approved = run.send({
      type: 'approval_decided',
      approvalId: request!.approvalId,
      decision: 'approved',
      by: RESPONDER,
    });
    expect(ofType(approved, 'execute_action')).toEqual([
      expect.objectContaining({
        idempotencyKey: `run:${RUN_ID}:block:.g@edge-fw`,
        approval: { approvalId: request!.approvalId, by: 'oncall' },
      }),
    ]);
    // Asked again after an approval: refused rather than looping.
    run.send({
      type: 'action_result',
      idempotencyKey: `run:${RUN_ID}:block:.g@edge-fw`,
      result: { status: 'approval_required', reason: 'still' },
    });
    expect(run.state?.steps['block']?.error?.code).toBe('approval_required');
  });

  it('fails a step that gets no result before its timeout, and ignores the late result', () => {
    const run = new RunDriver(playbookOf([...BLOCK, '  timeout: 5m']));
    const started = run.start(snapshotOf({}, [ATTACKER]), [FIREWALLS[0]!]);
    expect(ofType(started, 'schedule_wakeup')).toEqual([{ type: 'schedule_wakeup', at: at(300) }]);
    run.wakeAt(at(300));
    expect(run.state?.steps['block']?.error).toEqual({
      code: 'timeout',
      message: 'the step did not finish within 5m',
    });
    expect(run.status).toBe('failed');
    expect(run.succeed(`run:${RUN_ID}:block:@edge-fw`)).toEqual([]);
  });

  it('ignores a duplicate result, an unknown key, and any event after the run finished', () => {
    const run = new RunDriver(playbookOf(BLOCK));
    run.start(snapshotOf({}, [ATTACKER]), [FIREWALLS[0]!]);
    expect(run.succeed('run:other:block')).toEqual([]);
    run.succeed(`run:${RUN_ID}:block:@edge-fw`);
    const finished = run.state;
    expect(run.succeed(`run:${RUN_ID}:block:@edge-fw`)).toEqual([]);
    expect(run.send({ type: 'cancel_requested', by: 'alice' })).toEqual([]);
    expect(run.state).toEqual(finished);
  });
});

describe('decide: flow', () => {
  it('on_error continue records the failure and goes on; goto skips to a later step, naming why', () => {
    const run = new RunDriver(
      playbookOf([
        ...BLOCK,
        '  connector: edge-fw',
        '  on_error: { goto: tell }',
        '- { id: skipped-one, kind: wait, duration: 1h }',
        '- { id: tell, kind: action, operation: notify, target: "block {{steps.block.status}}", on_error: continue }',
        '- { id: after, kind: set, variables: { done: yes } }',
      ]),
    );
    run.start(snapshotOf({}, [ATTACKER]), [FIREWALLS[0]!, SLACK]);
    const next = run.fail(`run:${RUN_ID}:block`, 'vendor_unavailable', false);
    expect(timelineOf(next)).toContain('step_skipped skipped-one: "block" failed and went to "tell"');
    expect(ofType(next, 'execute_action')[0]?.target).toBe('block failed');
    const end = run.fail(`run:${RUN_ID}:tell:@soc-slack`);
    expect(ofType(end, 'finish_run')).toEqual([
      { type: 'finish_run', status: 'succeeded', reason: 'every step finished' },
    ]);
    expect(run.state?.vars).toEqual({ done: 'yes' });
  });

  it('skips a step whose `when` does not hold, with the condition as the reason', () => {
    const run = new RunDriver(playbookOf([...BLOCK, '  when: { severity: { at_least: critical } }']));
    const commands = run.start(snapshotOf({}, [ATTACKER]), FIREWALLS);
    expect(timelineOf(commands)).toContain(
      'step_skipped block: condition not met: severity at least critical',
    );
    expect(run.status).toBe('succeeded');
  });

  it('takes the branch its condition chooses', () => {
    const playbook = playbookOf([
      '- id: check',
      '  kind: condition',
      '  if: { entity: { type: ip, role: source } }',
      '  then: [{ id: yes, kind: set, variables: { branch: then } }]',
      '  else: [{ id: no, kind: set, variables: { branch: else } }]',
    ]);
    const withIp = new RunDriver(playbook);
    withIp.start(snapshotOf({}, [ATTACKER]), []);
    expect(withIp.state?.vars).toEqual({ branch: 'then' });
    const without = new RunDriver(playbook);
    without.start(snapshotOf({}, [WEB]), []);
    expect(without.state?.vars).toEqual({ branch: 'else' });
    expect(without.state?.steps['check']?.output).toEqual({ branch: 'else' });
  });

  it('runs parallel branches side by side and finishes when all have', () => {
    const run = new RunDriver(
      playbookOf([
        '- id: both',
        '  kind: parallel',
        '  branches:',
        '    - steps: [{ id: block, kind: action, operation: block_ip, target: 203.0.113.7 }]',
        '    - steps: [{ id: tell, kind: action, operation: notify, target: hello }]',
      ]),
    );
    const commands = run.start(snapshotOf(), [FIREWALLS[0]!, SLACK]);
    expect(keysOf(commands)).toEqual([`run:${RUN_ID}:block:@edge-fw`, `run:${RUN_ID}:tell:@soc-slack`]);
    run.succeed(`run:${RUN_ID}:tell:@soc-slack`);
    expect(run.status).toBe('running');
    run.fail(`run:${RUN_ID}:block:@edge-fw`, 'vendor_unavailable', false);
    expect(run.state?.steps['both']?.error?.code).toBe('branch_failed');
    expect(run.status).toBe('failed');
  });

  it('waits for its duration', () => {
    const run = new RunDriver(playbookOf(['- { id: pause, kind: wait, duration: 10m }']));
    run.start(snapshotOf(), []);
    run.wakeAt(at(599));
    expect(run.status).toBe('running');
    run.wakeAt(at(600));
    expect(run.status).toBe('succeeded');
  });

  it('sets variables from templates, for later steps', () => {
    const run = new RunDriver(
      playbookOf([
        '- { id: name-it, kind: set, variables: { label: "case-{{incident.number}}", count: 3, tags: ["a-{{incident.number}}"] } }',
        '- { id: tell, kind: action, operation: notify, target: "{{vars.label}} {{vars.count}} {{join vars.tags}}" }',
      ]),
    );
    const [action] = ofType(run.start(snapshotOf(), [SLACK]), 'execute_action');
    expect(action?.target).toBe('case-7 3 a-7');
  });

  it('asks for its incident to move on (status, severity, a rendered comment) and carries on', () => {
    const run = new RunDriver(
      playbookOf([
        '- { id: mark, kind: incident, status: contained, severity: critical, comment: "case {{incident.number}} contained" }',
        '- { id: after, kind: set, variables: { done: yes } }',
      ]),
    );
    const commands = run.start(snapshotOf(), []);
    expect(ofType(commands, 'update_incident')).toEqual([
      {
        type: 'update_incident',
        stepId: 'mark',
        instance: 'mark',
        incidentId: snapshotOf().incident.id,
        status: 'contained',
        severity: 'critical',
        comment: 'case 7 contained',
      },
    ]);
    expect(run.state?.steps['mark']).toMatchObject({
      status: 'succeeded',
      output: { status: 'contained', severity: 'critical', comment: 'case 7 contained' },
    });
    expect(run.status).toBe('succeeded');
  });

  it('fails an incident step whose comment does not render, and changes nothing', () => {
    const run = new RunDriver(
      playbookOf(['- { id: mark, kind: incident, status: contained, comment: "{{incident.nothing}}" }']),
    );
    const commands = run.start(snapshotOf(), []);
    expect(ofType(commands, 'update_incident')).toEqual([]);
    expect(run.state?.steps['mark']?.error?.code).toBe('template_error');
    expect(run.status).toBe('failed');
  });

  it('fails at once on inputs that do not fit the playbook, naming each', () => {
    const playbook = playbookOf(BLOCK, [
      'inputs:',
      '  block_for: { type: duration }',
      '  note: { type: string, default: x }',
    ]);
    const run = new RunDriver(playbook);
    const commands = run.start(snapshotOf({}, [ATTACKER]), FIREWALLS, { colour: 'red' });
    expect(ofType(commands, 'finish_run')).toEqual([
      {
        type: 'finish_run',
        status: 'failed',
        reason:
          'invalid inputs: colour: the playbook has no such input; block_for: required: it has no default',
      },
    ]);
  });

  it('uses a duration input as the expiry, in seconds', () => {
    const playbook = playbookOf(
      [...BLOCK.slice(0, -1), '  expires_after: { input: block_for }'],
      ['inputs:', '  block_for: { type: duration, default: 2h }'],
    );
    expect(
      ofType(new RunDriver(playbook).start(snapshotOf({}, [ATTACKER]), [FIREWALLS[0]!]), 'execute_action')[0],
    ).toMatchObject({ expiresAfterSeconds: 7200 });
    const given = new RunDriver(playbook).start(snapshotOf({}, [ATTACKER]), [FIREWALLS[0]!], {
      block_for: '30m',
    });
    expect(ofType(given, 'execute_action')[0]).toMatchObject({ expiresAfterSeconds: 1800 });
  });

  it('cancels: every open step ends, approvals are withdrawn, child runs cancelled', () => {
    const run = new RunDriver(
      playbookOf([
        '- id: both',
        '  kind: parallel',
        '  branches:',
        '    - steps: [{ id: ask, kind: approval, message: go? }]',
        '    - steps: [{ id: child, kind: playbook, playbook: other }]',
      ]),
    );
    run.start(snapshotOf(), []);
    const commands = run.send({ type: 'cancel_requested', by: 'alice', reason: 'false positive' });
    expect(ofType(commands, 'withdraw_approval')).toEqual([
      { type: 'withdraw_approval', approvalId: `approval:${RUN_ID}:ask`, reason: 'step cancelled' },
    ]);
    expect(ofType(commands, 'cancel_subrun')).toEqual([
      { type: 'cancel_subrun', subrunKey: `run:${RUN_ID}:child`, reason: 'step cancelled' },
    ]);
    expect(ofType(commands, 'finish_run')).toEqual([
      { type: 'finish_run', status: 'cancelled', reason: 'cancelled by alice: false positive' },
    ]);
    expect(run.state?.nextWakeupAt).toBeNull();
  });

  it('refuses a state of another playbook version, and events before `started`', () => {
    const playbook = playbookOf(BLOCK);
    const run = new RunDriver(playbook);
    run.start(snapshotOf({}, [ATTACKER]), FIREWALLS);
    const changed = { ...playbook, hash: 'f'.repeat(64) };
    expect(() => decide(changed, run.state, { type: 'wakeup' }, T0)).toThrow(RunStateError);
    expect(() => decide(playbook, null, { type: 'wakeup' }, T0)).toThrow(/begins with a `started` event/);
  });
});

describe('decide: approval steps', () => {
  const APPROVAL = [
    '- id: ask',
    '  kind: approval',
    '  message: Isolate {{incident.title}}?',
    '  approvers: { roles: [responder], users: [carol], api_keys: [soar-bot] }',
    '  timeout: 1h',
    '- { id: tell, kind: action, operation: notify, target: go }',
  ];

  it('asks the approvers and goes on once one of them approves', () => {
    const run = new RunDriver(playbookOf(APPROVAL));
    const commands = run.start(snapshotOf(), [SLACK]);
    expect(ofType(commands, 'request_approval')).toEqual([
      {
        type: 'request_approval',
        approvalId: `approval:${RUN_ID}:ask`,
        kind: 'step',
        stepId: 'ask',
        instance: 'ask',
        item: null,
        message: 'Isolate Port scan from 203.0.113.7?',
        approvers: { roles: ['responder'], users: ['carol'], apiKeys: ['soar-bot'] },
        expiresAt: at(3600),
        onTimeout: 'reject',
        action: null,
      },
    ]);
    const ignored = run.send({
      type: 'approval_decided',
      approvalId: `approval:${RUN_ID}:ask`,
      decision: 'approved',
      by: VIEWER,
    });
    expect(timelineOf(ignored)).toEqual([
      `approval_ignored ask: intern is not among the approvers of approval:${RUN_ID}:ask`,
    ]);
    const approved = run.send({
      type: 'approval_decided',
      approvalId: `approval:${RUN_ID}:ask`,
      decision: 'approved',
      by: { kind: 'user', name: 'carol', role: 'analyst' },
      reason: 'confirmed with the owner',
    });
    expect(timelineOf(approved)[0]).toBe('approval_decided ask: approved by carol: confirmed with the owner');
    expect(keysOf(approved)).toEqual([`run:${RUN_ID}:tell:@soc-slack`]);
  });

  it('fails the step when rejected, and the decision is not taken twice', () => {
    const run = new RunDriver(playbookOf(APPROVAL));
    run.start(snapshotOf(), [SLACK]);
    run.send({
      type: 'approval_decided',
      approvalId: `approval:${RUN_ID}:ask`,
      decision: 'rejected',
      by: RESPONDER,
    });
    expect(run.state?.steps['ask']?.error).toEqual({
      code: 'approval_rejected',
      message: 'rejected by oncall',
    });
    expect(run.status).toBe('failed');
  });

  it('applies the default decision when nobody decides in time', () => {
    const run = new RunDriver(
      playbookOf([...APPROVAL.slice(0, 5), '  on_timeout: approve', ...APPROVAL.slice(5)]),
    );
    run.start(snapshotOf(), [SLACK]);
    const timedOut = run.wakeAt(at(3600));
    expect(ofType(timedOut, 'withdraw_approval')).toEqual([
      {
        type: 'withdraw_approval',
        approvalId: `approval:${RUN_ID}:ask`,
        reason: 'nobody decided within 1h: approved by default',
      },
    ]);
    expect(keysOf(timedOut)).toEqual([`run:${RUN_ID}:tell:@soc-slack`]);
    expect(run.state?.steps['ask']?.output).toMatchObject({ decision: 'approved', by: 'timeout' });
  });

  it('lets admins always decide, and nobody else outside the list', () => {
    const approvers = { roles: ['responder' as const], users: ['carol'], apiKeys: ['soar-bot'] };
    expect(mayDecide(approvers, { kind: 'api_key', name: 'root', role: 'admin' })).toBe(true);
    expect(mayDecide(approvers, { kind: 'api_key', name: 'soar-bot', role: 'ingest' })).toBe(true);
    expect(mayDecide(approvers, { kind: 'user', name: 'soar-bot', role: 'analyst' })).toBe(false);
    expect(mayDecide(approvers, { kind: 'user', name: 'dave', role: 'analyst' })).toBe(false);
  });
});

describe('decide: for_each', () => {
  const LOOP = [
    '- id: each-source',
    '  kind: for_each',
    '  entities: { type: ip }',
    '  steps:',
    "    - { id: block, kind: action, operation: block_ip, target: '{{item.value}}', connector: edge-fw }",
  ];

  it('runs its steps once per entity, with item keys, never on the reporting device', () => {
    const run = new RunDriver(playbookOf(LOOP));
    const commands = run.start(snapshotOf({}, [ATTACKER, INTERNAL, SENSOR, WEB]), FIREWALLS);
    const actions = ofType(commands, 'execute_action');
    expect(actions.map((action) => action.target)).toEqual(['10.0.0.5', '203.0.113.7']);
    expect(actions.map((action) => action.idempotencyKey)).toEqual([
      expect.stringMatching(new RegExp(`^run:${RUN_ID}:block:ip-[0-9a-f]{10}$`)),
      expect.stringMatching(new RegExp(`^run:${RUN_ID}:block:ip-[0-9a-f]{10}$`)),
    ]);
    expect(actions[0]?.item).toEqual({
      token: actions[0]?.idempotencyKey.split(':').pop(),
      type: 'ip',
      value: '10.0.0.5',
    });
    expect(actions[0]?.instance).toBe(`block[${actions[0]?.item?.token}]`);
    for (const action of actions) run.succeed(action.idempotencyKey);
    expect(run.state?.steps['each-source']?.output).toEqual({
      items: 2,
      succeeded: 2,
      failed: 0,
      results: [
        { type: 'ip', value: '10.0.0.5', status: 'succeeded', steps: { block: 'succeeded' } },
        { type: 'ip', value: '203.0.113.7', status: 'succeeded', steps: { block: 'succeeded' } },
      ],
    });
  });

  it('acts on the reporting device only when asked for by role', () => {
    const run = new RunDriver(
      playbookOf(LOOP.map((line) => line.replace('{ type: ip }', '{ type: ip, role: observer }'))),
    );
    expect(
      ofType(run.start(snapshotOf({}, [ATTACKER, SENSOR]), FIREWALLS), 'execute_action').map((a) => a.target),
    ).toEqual(['192.0.2.250']);
  });

  it('is skipped when no entity matches, and fails rather than act on more than max_items', () => {
    const none = new RunDriver(playbookOf(LOOP));
    expect(timelineOf(none.start(snapshotOf({}, [WEB]), FIREWALLS))).toContain(
      'step_skipped each-source: no entity of type ip in the incident',
    );
    const many = new RunDriver(playbookOf([...LOOP.slice(0, 3), '  max_items: 1', ...LOOP.slice(3)]));
    many.start(snapshotOf({}, [ATTACKER, INTERNAL]), FIREWALLS);
    expect(many.state?.steps['each-source']?.error).toEqual({
      code: 'too_many_items',
      message: '2 entities of type ip match, more than max_items (1)',
    });
  });

  it('keeps each item on its own path: a rejected approval stops that item only', () => {
    const run = new RunDriver(
      playbookOf([
        '- id: each-host',
        '  kind: for_each',
        '  entities: { type: host }',
        '  on_error: continue',
        '  steps:',
        '    - id: ask',
        '      kind: approval',
        '      when: { field: { path: item.value, matches: "srv-*" } }',
        '      message: isolate {{item.value}}?',
        "    - { id: isolate, kind: action, operation: isolate_host, target: '{{item.value}}' }",
        '- { id: tell, kind: action, operation: notify, target: "{{steps.each-host.output.succeeded}} isolated" }',
      ]),
    );
    const commands = run.start(snapshotOf({}, [WEB, DB]), [EDR, SLACK]);
    const [request] = ofType(commands, 'request_approval');
    expect(request?.message).toBe('isolate srv-db-01?');
    const [webIsolation] = ofType(commands, 'execute_action');
    expect(webIsolation?.target).toBe('web-01');
    run.succeed(webIsolation!.idempotencyKey);
    const rejected = run.send({
      type: 'approval_decided',
      approvalId: request!.approvalId,
      decision: 'rejected',
      by: RESPONDER,
    });
    expect(ofType(rejected, 'execute_action').map((action) => action.target)).toEqual(['1 isolated']);
  });
});

describe('decide: sub-playbooks', () => {
  it('starts the child run with rendered inputs and follows its outcome, retrying a failed one', () => {
    const run = new RunDriver(
      playbookOf([
        '- id: child',
        '  kind: playbook',
        '  playbook: notify-soc',
        '  inputs: { text: "incident {{incident.number}}", urgent: true }',
        '  retry: { max_retries: 1, initial_delay: 1m, jitter: none }',
      ]),
    );
    const [start] = ofType(run.start(snapshotOf(), []), 'start_subrun');
    expect(start).toEqual({
      type: 'start_subrun',
      subrunKey: `run:${RUN_ID}:child`,
      stepId: 'child',
      instance: 'child',
      playbookId: 'notify-soc',
      inputs: { text: 'incident 7', urgent: true },
    });
    run.send({
      type: 'subrun_finished',
      subrunKey: start!.subrunKey,
      status: 'failed',
      reason: 'no connector',
    });
    const [again] = ofType(run.wakeAt(at(60)), 'start_subrun');
    expect(again?.subrunKey).toBe(`run:${RUN_ID}:child:.r1`);
    run.send({ type: 'subrun_finished', subrunKey: start!.subrunKey, status: 'succeeded' });
    expect(run.status).toBe('running');
    run.send({ type: 'subrun_finished', subrunKey: again!.subrunKey, status: 'succeeded' });
    expect(run.status).toBe('succeeded');
  });
});
