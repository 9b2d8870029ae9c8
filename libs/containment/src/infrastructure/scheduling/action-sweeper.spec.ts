import { AppConfig } from '@rampart/config';
import type { JobLease } from '@rampart/database';

import { ExpireDueActionsUseCase } from '../../application/expire-due-actions.use-case';
import { ReconcilePendingActionsUseCase } from '../../application/reconcile-pending-actions.use-case';
import { ActionSweeper, ActionSweeperOptions } from './action-sweeper';

function sweeper(options: ActionSweeperOptions, roles = 'api,engine', leader = true) {
  const order: string[] = [];
  const lease = {
    tryAcquire: jest.fn(async () => leader),
    release: jest.fn(async () => undefined),
  };
  const reconcile = {
    execute: jest.fn(async () => {
      order.push('reconcile');
      return { succeeded: 0, failed: 0, unresolved: 0, isolated: 0 };
    }),
  };
  const expire = {
    execute: jest.fn(async () => {
      order.push('expire');
      return { expired: 0, failed: 0, retrying: 0, isolated: 0 };
    }),
  };
  const instance = new ActionSweeper(
    lease as unknown as JobLease,
    reconcile as unknown as ReconcilePendingActionsUseCase,
    expire as unknown as ExpireDueActionsUseCase,
    AppConfig.fromEnvironment({ SOAR_ROLES: roles }),
    options,
  );
  return { instance, lease, order };
}

describe('ActionSweeper', () => {
  afterEach(() => jest.useRealTimers());

  it('reconciles then expires, only while it holds the lease', async () => {
    const leader = sweeper({ intervalMs: 500 });
    await expect(leader.instance.runOnce()).resolves.toMatchObject({ leader: true });
    expect(leader.order).toEqual(['reconcile', 'expire']);
    expect(leader.lease.tryAcquire).toHaveBeenCalledWith(
      'containment-action-sweeper',
      expect.any(String),
      30_000,
    );

    const follower = sweeper({}, 'api,engine', false);
    await expect(follower.instance.runOnce()).resolves.toMatchObject({ leader: false });
    expect(follower.order).toEqual([]);
  });

  it('runs at start and then every interval in the engine role, and releases the lease at shutdown', async () => {
    jest.useFakeTimers();
    const { instance, lease, order } = sweeper({ intervalMs: 1_000 });
    instance.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['reconcile', 'expire']);
    await jest.advanceTimersByTimeAsync(999);
    expect(order).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(order).toHaveLength(4);
    instance.setIntervalMs(100);
    await jest.advanceTimersByTimeAsync(100);
    expect(order).toHaveLength(6);
    await instance.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(order).toHaveLength(6);
    expect(lease.release).toHaveBeenCalledTimes(1);
  });

  it('stays idle without the engine role', async () => {
    jest.useFakeTimers();
    const { instance, order } = sweeper({ intervalMs: 1_000 }, 'api');
    instance.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(order).toEqual([]);
  });
});
