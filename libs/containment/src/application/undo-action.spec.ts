import type { ConnectorOperations, VendorCallResult } from '@rampart/connectors';

import { ContainmentAction } from '../domain/containment-action';
import { ContainmentActionStore, UndoneState, UndoRecord } from './containment-action-store';
import { undoClaimedAction } from './undo-action';

const action: ContainmentAction = {
  id: '5f0c8e52-59f4-4a4e-9f0e-0d5b3f1c2a77',
  connectorInstanceId: 'a3d8b1c4-6f2e-4d3a-9b8c-7e6f5a4b3c2d',
  connectorName: 'edge-fw',
  capability: 'firewall',
  operation: 'block_ip',
  target: '203.0.113.7',
  idempotencyKey: 'case-1:block',
  incidentId: null,
  requestedBy: 'responder',
  requestedAt: new Date(),
  reason: null,
  state: 'succeeded',
  outcome: 'changed',
  vendorRef: null,
  errorCode: null,
  errorMessage: null,
  expiresAt: new Date(),
  expiresInSeconds: 60,
  completedAt: new Date(),
  rolledBackAt: null,
  rollbackOf: null,
  joinedActionId: null,
  details: {},
};

const unavailable: VendorCallResult = {
  ok: false,
  failure: {
    errorCode: 'unavailable',
    errorMessage: 'vendor down',
    details: {},
    retryable: true,
    mayHaveLanded: false,
  },
};

function harness(options: { instanceExists?: boolean; leaseLost?: boolean } = {}) {
  const undone: { key: string; reason: string | null }[] = [];
  let answer: VendorCallResult = { ok: true, outcome: 'changed', vendorRef: 'tag', details: {} };
  const calls: {
    undo?: UndoRecord;
    state?: UndoneState;
    released?: { details: unknown; holdOffMs?: number };
  } = {};
  const connectors = {
    findById: async () =>
      options.instanceExists === false
        ? null
        : { id: action.connectorInstanceId, name: 'edge-fw', type: 'panos', capability: 'firewall' },
    undo: async (_ref: unknown, _subject: unknown, key: string, reason: string | null) => {
      undone.push({ key, reason });
      return answer;
    },
  } as unknown as ConnectorOperations;
  const actions = {
    recordUndo: async (_id: string, holder: string, undo: UndoRecord, state: UndoneState) => {
      expect(holder).toBe('holder-1');
      if (options.leaseLost) return null;
      calls.undo = undo;
      calls.state = state;
      return { action: { ...action, state }, undo: { ...action, id: 'undo', rollbackOf: action.id } };
    },
    release: async (_id: string, _holder: string, details: Record<string, unknown>, holdOffMs?: number) => {
      calls.released = { details, ...(holdOffMs !== undefined ? { holdOffMs } : {}) };
      return { ...action, details };
    },
    findById: async () => ({ ...action, state: 'expired' }),
  } as unknown as ContainmentActionStore;
  return {
    undone,
    calls,
    answer: (next: VendorCallResult) => {
      answer = next;
    },
    run: (trigger: 'rollback' | 'expiry') =>
      undoClaimedAction(action, connectors, actions, {
        trigger,
        requestedBy: 'someone',
        reason: null,
        holder: 'holder-1',
      }),
  };
}

describe('undoClaimedAction', () => {
  it('undoes through the connector under one key per action, records the undo and marks the action', async () => {
    const { undone, calls, run } = harness();
    const result = await run('rollback');
    expect(undone).toEqual([{ key: `undo:${action.id}`, reason: null }]);
    expect(calls.undo).toMatchObject({
      operation: 'unblock_ip',
      result: { state: 'succeeded', outcome: 'changed', vendorRef: 'tag' },
    });
    expect(calls.state).toBe('rolled_back');
    expect(result).toMatchObject({ retryLater: false, action: { state: 'rolled_back' } });

    const expiry = harness();
    await expiry.run('expiry');
    expect(expiry.calls.state).toBe('expired');
  });

  it('retries an expiry the vendor could not take now: lease released with a hold-off, nothing recorded', async () => {
    const { calls, run, answer } = harness();
    answer(unavailable);
    const result = await run('expiry');
    expect(result.retryLater).toBe(true);
    expect(calls.undo).toBeUndefined();
    expect(calls.state).toBeUndefined();
    expect(calls.released).toMatchObject({
      details: { lastExpiryAttempt: { errorCode: 'unavailable' } },
      holdOffMs: expect.any(Number),
    });
  });

  it('records a refused rollback as rollback_failed, and a vanished connector without calling anyone', async () => {
    const { calls, run, answer } = harness();
    answer(unavailable);
    await run('rollback');
    expect(calls.undo?.result).toMatchObject({ state: 'failed', errorCode: 'unavailable' });
    expect(calls.state).toBe('rollback_failed');

    const gone = harness({ instanceExists: false });
    await gone.run('expiry');
    expect(gone.calls.undo?.result).toMatchObject({ state: 'failed', errorCode: 'connector_not_found' });
    expect(gone.calls.state).toBe('rollback_failed');
    expect(gone.undone).toEqual([]);
  });

  it('records nothing when the lease ran out during the call, and answers what the new holder recorded', async () => {
    const { run } = harness({ leaseLost: true });
    const result = await run('expiry');
    expect(result).toMatchObject({ undo: null, retryLater: false, action: { state: 'expired' } });
  });
});
