import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * How long one vendor call may hold an action: per-attempt timeouts, retries with backoff and a
 * vendor's Retry-After all fit well within it. A holder that dies (crash, SIGKILL) loses the
 * action when it runs out; the sweeper then reconciles a pending call by asking the vendor.
 */
export const VENDOR_CALL_LEASE_MS = 5 * 60_000;

/** A lease holder name: who (which work, which process) holds an action, unique per claim. */
export function leaseHolder(work: 'execute' | 'rollback' | 'expiry' | 'reconcile'): string {
  return `${work}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
