import { ActionOutcome } from '../domain/action-outcome';
import { ConnectorError, ConnectorErrorCode } from '../domain/connector-error';
import { ContainmentAction } from '../domain/containment-action';
import { BlockState, FirewallConnector } from '../domain/firewall-connector';
import { ConnectorInstanceStore, StoredConnectorInstance } from './connector-instance-store';
import { ConnectorResolver } from './connector-resolver';
import { LockedAction, UndoRecord } from './containment-action-store';
import { undoLockedAction } from './undo-locked-action';

class StubFirewall extends FirewallConnector {
  checkConnection(): Promise<string> {
    return Promise.resolve('stub');
  }
  readonly type = 'stub';
  readonly name = 'edge-fw';
  unblock: () => Promise<ActionOutcome> = async () => ({ status: 'changed', vendorRef: 'tag' });
  readonly unblocked: string[] = [];

  ensureBlocked(): Promise<ActionOutcome> {
    throw new Error('not expected');
  }

  ensureUnblocked(target: string): Promise<ActionOutcome> {
    this.unblocked.push(target);
    return this.unblock();
  }

  isBlocked(): Promise<BlockState> {
    throw new Error('not expected');
  }
}

const action: ContainmentAction = {
  id: '5f0c8e52-59f4-4a4e-9f0e-0d5b3f1c2a77',
  connectorInstanceId: 'a3d8b1c4-6f2e-4d3a-9b8c-7e6f5a4b3c2d',
  connectorName: 'edge-fw',
  capability: 'firewall',
  operation: 'block_ip',
  target: '203.0.113.7',
  idempotencyKey: 'case-1:block',
  incidentId: null,
  requestedBy: 'analyst',
  requestedAt: new Date(),
  reason: null,
  state: 'succeeded',
  outcome: 'changed',
  vendorRef: null,
  errorCode: null,
  errorMessage: null,
  expiresAt: new Date(),
  completedAt: new Date(),
  rolledBackAt: null,
  rollbackOf: null,
  details: {},
};

function harness(instanceExists = true) {
  const firewall = new StubFirewall();
  const calls: { undo?: UndoRecord; state?: string; annotated?: Record<string, unknown> } = {};
  const locked: LockedAction = {
    action,
    complete: async () => action,
    recordUndo: async (undo) => {
      calls.undo = undo;
      return { ...action, id: 'undo', rollbackOf: action.id };
    },
    markUndone: async (state) => {
      calls.state = state;
      return { ...action, state };
    },
    annotate: async (details) => {
      calls.annotated = details;
      return { ...action, details };
    },
  };
  const instances = {
    findById: async () =>
      instanceExists ? ({ id: action.connectorInstanceId } as StoredConnectorInstance) : null,
  } as unknown as ConnectorInstanceStore;
  const resolver = { connectorFor: () => firewall } as unknown as ConnectorResolver;
  return {
    firewall,
    calls,
    run: (trigger: 'rollback' | 'expiry') =>
      undoLockedAction(locked, instances, resolver, { trigger, requestedBy: 'someone', reason: null }),
  };
}

describe('undoLockedAction', () => {
  it('undoes through the connector, records the undo and marks the action', async () => {
    const { firewall, calls, run } = harness();
    const result = await run('rollback');
    expect(firewall.unblocked).toEqual(['203.0.113.7']);
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

  it('retries an expiry the vendor could not take now, without recording a failure', async () => {
    const { firewall, calls, run } = harness();
    firewall.unblock = () =>
      Promise.reject(new ConnectorError(ConnectorErrorCode.Unavailable, 'vendor down'));
    const result = await run('expiry');
    expect(result.retryLater).toBe(true);
    expect(calls.undo).toBeUndefined();
    expect(calls.state).toBeUndefined();
    expect(calls.annotated).toMatchObject({ lastExpiryAttempt: { errorCode: 'unavailable' } });
  });

  it('records a refused rollback as rollback_failed', async () => {
    const { firewall, calls, run } = harness();
    firewall.unblock = () =>
      Promise.reject(new ConnectorError(ConnectorErrorCode.Unavailable, 'vendor down'));
    await run('rollback');
    expect(calls.undo?.result).toMatchObject({ state: 'failed', errorCode: 'unavailable' });
    expect(calls.state).toBe('rollback_failed');

    const gone = harness(false);
    await gone.run('expiry');
    expect(gone.calls.undo?.result).toMatchObject({ state: 'failed', errorCode: 'connector_not_found' });
    expect(gone.calls.state).toBe('rollback_failed');
    expect(gone.firewall.unblocked).toEqual([]);
  });
});
