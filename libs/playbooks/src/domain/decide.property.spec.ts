import fc from 'fast-check';

import { EDR, FIREWALLS, playbookOf, RUN_ID, SLACK, snapshotOf, T0 } from '../../test/support';
import { decide } from './decide';
import type { ConnectorInfo, IncidentEntity } from './incident-snapshot';
import { IDEMPOTENCY_KEY_PATTERN } from './run-keys';
import type { Decider, RunCommand, RunEvent, RunState } from './run-state';

// A playbook that uses every step kind and failure path: fan-out, retries, timeouts, approvals
// (step and guardrail), for_each, parallel branches, waits, sub-playbooks and goto.
const PLAYBOOK = playbookOf([
  '- id: each-source',
  '  kind: for_each',
  '  entities: { type: ip, role: source }',
  '  on_error: continue',
  '  steps:',
  '    - id: gate',
  '      kind: condition',
  '      if: { field: { path: item.value, matches: "10.*" } }',
  '      then: [{ id: ask, kind: approval, message: "block {{item.value}}?", timeout: 10m }]',
  '    - id: block',
  '      kind: action',
  '      operation: block_ip',
  "      target: '{{item.value}}'",
  '      expires_after: 1h',
  '      timeout: 30m',
  '      retry: { max_retries: 2, initial_delay: 30s }',
  '- id: contain',
  '  kind: parallel',
  '  on_error: { goto: tell }',
  '  branches:',
  '    - steps:',
  '        - { id: pause, kind: wait, duration: 2m }',
  "        - { id: isolate, kind: action, operation: isolate_host, target: 'web-01', retry: { max_retries: 1 } }",
  '    - steps:',
  '        - { id: child, kind: playbook, playbook: other, retry: { max_retries: 1, initial_delay: 5s } }',
  '- { id: between, kind: set, variables: { x: "1" } }',
  '- { id: tell, kind: action, operation: notify, target: "done {{steps.contain.status}}", on_error: continue }',
]);

const ENTITIES: IncidentEntity[] = [
  { type: 'ip', value: '203.0.113.7', roles: ['source'] },
  { type: 'ip', value: '10.0.0.5', roles: ['source'] },
  { type: 'ip', value: '198.51.100.20', roles: ['source', 'destination'] },
  { type: 'host', value: 'web-01', roles: ['related'] },
];
const CONNECTORS: ConnectorInfo[] = [...FIREWALLS, EDR, SLACK];
const RESPONDER: Decider = { kind: 'api_key', name: 'oncall', role: 'responder' };
const VIEWER: Decider = { kind: 'api_key', name: 'intern', role: 'viewer' };

interface Step {
  event: RunEvent;
  now: Date;
}

/**
 * A world that answers the run's commands as `choices` say: results of every kind (some twice),
 * approvals decided by allowed and refused people, time moving to the next timer, the odd
 * cancel. Returns the events the run received, in order.
 */
function playWorld(choices: number[], connectors: ConnectorInfo[], entities: IncidentEntity[]): Step[] {
  const steps: Step[] = [];
  let state: RunState | null = null;
  let now = T0;
  const pending = { actions: [] as string[], approvals: [] as string[], subruns: [] as string[] };
  const send = (event: RunEvent) => {
    steps.push({ event, now });
    const decision = decide(PLAYBOOK, state, event, now);
    state = decision.state;
    for (const command of decision.commands) {
      if (command.type === 'execute_action') pending.actions.push(command.idempotencyKey);
      if (command.type === 'request_approval') pending.approvals.push(command.approvalId);
      if (command.type === 'start_subrun') pending.subruns.push(command.subrunKey);
    }
  };
  send({ type: 'started', runId: RUN_ID, snapshot: snapshotOf({}, entities), connectors });
  for (const choice of choices) {
    const current = state as RunState | null;
    if (current === null || current.status !== 'running') break;
    const options: (() => void)[] = [];
    for (const key of pending.actions) {
      options.push(() => {
        const kind = (choice >> 4) % 6;
        const result =
          kind === 0 || kind === 1
            ? ({ status: 'succeeded' } as const)
            : kind === 2
              ? ({ status: 'failed', code: 'vendor_unavailable' } as const)
              : kind === 3
                ? ({ status: 'failed', code: 'auth_failed', retryable: false } as const)
                : kind === 4
                  ? ({ status: 'refused', rule: 'protected' } as const)
                  : ({ status: 'approval_required', reason: 'blast radius' } as const);
        if ((choice >> 7) % 4 !== 0) pending.actions.splice(pending.actions.indexOf(key), 1);
        send({ type: 'action_result', idempotencyKey: key, result });
      });
    }
    for (const approvalId of pending.approvals) {
      options.push(() => {
        const by = (choice >> 4) % 5 === 0 ? VIEWER : RESPONDER;
        if (by === RESPONDER) pending.approvals.splice(pending.approvals.indexOf(approvalId), 1);
        send({
          type: 'approval_decided',
          approvalId,
          decision: (choice >> 5) % 3 === 0 ? 'rejected' : 'approved',
          by,
        });
      });
    }
    for (const subrunKey of pending.subruns) {
      options.push(() => {
        pending.subruns.splice(pending.subruns.indexOf(subrunKey), 1);
        send({
          type: 'subrun_finished',
          subrunKey,
          status: (choice >> 4) % 3 === 0 ? 'failed' : 'succeeded',
        });
      });
    }
    if (current.nextWakeupAt !== null) {
      const wakeAt = new Date(current.nextWakeupAt);
      options.push(() => {
        now = wakeAt > now ? wakeAt : now;
        send({ type: 'wakeup' });
      });
    }
    if (choice % 61 === 0) options.push(() => send({ type: 'cancel_requested', by: 'alice' }));
    const pick = options[choice % Math.max(options.length, 1)];
    if (pick === undefined) break;
    pick();
  }
  return steps;
}

/** What a PostgreSQL jsonb column gives back: same values, keys in its own order. */
function throughJsonb<T>(value: T): T {
  const reorder = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(reorder);
    if (node === null || typeof node !== 'object') return node;
    const keys = Object.keys(node).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(keys.map((key) => [key, reorder((node as Record<string, unknown>)[key])]));
  };
  return JSON.parse(JSON.stringify(reorder(value))) as T;
}

/** Replays events from scratch, the state stored between them as a worker would. */
function replay(steps: Step[]): { states: RunState[]; commands: RunCommand[][] } {
  const states: RunState[] = [];
  const commands: RunCommand[][] = [];
  let state: RunState | null = null;
  for (const { event, now } of steps) {
    const decision = decide(PLAYBOOK, state === null ? null : throughJsonb(state), event, now);
    state = decision.state;
    states.push(decision.state);
    commands.push(decision.commands);
  }
  return { states, commands };
}

const world = fc.record({
  choices: fc.array(fc.noBias(fc.nat({ max: 4095 })), { maxLength: 80, size: 'max' }),
  // Mostly well-equipped runs, so retries, approvals and fan-out happen; sometimes bare ones.
  connectors: fc.oneof(
    { weight: 4, arbitrary: fc.constant(CONNECTORS) },
    { weight: 1, arbitrary: fc.subarray(CONNECTORS) },
  ),
  entities: fc.oneof(
    { weight: 4, arbitrary: fc.constant(ENTITIES) },
    { weight: 1, arbitrary: fc.subarray(ENTITIES) },
  ),
});

describe('decide: properties', () => {
  it('replaying a prefix of the events reaches the same state and the same commands', () => {
    fc.assert(
      fc.property(world, fc.nat(), ({ choices, connectors, entities }, cut) => {
        const steps = playWorld(choices, connectors, entities);
        const whole = replay(steps);
        const prefix = steps.slice(0, (cut % steps.length) + 1);
        const again = replay(prefix);
        expect(again.states[prefix.length - 1]).toEqual(whole.states[prefix.length - 1]);
        expect(again.commands).toEqual(whole.commands.slice(0, prefix.length));
      }),
      { numRuns: 60 },
    );
  });

  it('gives every execute_action a key of its own in the run, the same on every replay', () => {
    fc.assert(
      fc.property(world, ({ choices, connectors, entities }) => {
        const steps = playWorld(choices, connectors, entities);
        const keys = (commands: RunCommand[][]) =>
          commands
            .flat()
            .flatMap((command) => (command.type === 'execute_action' ? [command.idempotencyKey] : []));
        const first = keys(replay(steps).commands);
        expect(new Set(first).size).toBe(first.length);
        for (const key of first) expect(key).toMatch(IDEMPOTENCY_KEY_PATTERN);
        expect(keys(replay(steps).commands)).toEqual(first);
        const subruns = replay(steps)
          .commands.flat()
          .flatMap((command) => (command.type === 'start_subrun' ? [command.subrunKey] : []));
        expect(new Set(subruns).size).toBe(subruns.length);
      }),
      { numRuns: 60 },
    );
  });

  it('always ends once the world answers: results, decisions and time', () => {
    fc.assert(
      fc.property(world, ({ choices, connectors, entities }) => {
        const steps = playWorld(
          [...choices, ...Array.from({ length: 200 }, (_, index) => (index * 16) % 4096)],
          connectors,
          entities,
        );
        const { states } = replay(steps);
        const last = states[states.length - 1] as RunState;
        expect(last.status).not.toBe('running');
        expect(last.nextWakeupAt).toBeNull();
      }),
      { numRuns: 40 },
    );
  });
});
