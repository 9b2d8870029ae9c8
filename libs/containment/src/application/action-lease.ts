import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import { Injectable } from '@nestjs/common';

import { AppConfig } from '@rampart/config';

/**
 * How long one vendor call may hold an action (ACTION_CALL_LEASE, default 5 min): per-attempt
 * timeouts, retries with backoff and a vendor's Retry-After all fit well within it. A holder that
 * dies (crash, SIGKILL) loses the action when it runs out; the sweeper then reconciles a pending
 * call by asking the vendor.
 */
@Injectable()
export class ActionLeases {
  readonly callMs: number;

  constructor(config: AppConfig) {
    this.callMs = config.env.ACTION_CALL_LEASE;
  }
}

/** A lease holder name: who (which work, which process) holds an action, unique per claim. */
export function leaseHolder(work: 'execute' | 'rollback' | 'expiry' | 'reconcile'): string {
  return `${work}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
