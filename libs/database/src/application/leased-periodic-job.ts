import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import { JobLease } from './job-lease';

export interface LeasedPeriodicJobOptions<T> {
  /** The lease's name: one holder at a time across every replica. */
  name: string;
  /** Pause between the end of one pass and the start of the next. */
  intervalMs: number;
  /** Lease lifetime, renewed at every pass (default 4 intervals, at least 30 s). */
  leaseTtlMs?: number;
  /** One pass of the job; runs only while this process holds the lease. */
  run: () => Promise<T>;
  /** Told of a pass that threw; the loop goes on with the next pass. */
  onError: (error: unknown) => void;
}

export type PassResult<T> = { leader: false } | { leader: true; result: T };

/**
 * A job that runs in one replica at a time, every `intervalMs`: each pass takes (or renews) the
 * named lease and runs the job only when it holds it, so any number of replicas is safe and a dead
 * holder is replaced after one lease lifetime. The sweeper of containment actions, audit
 * checkpoints and scheduled exports all run on it.
 */
export class LeasedPeriodicJob<T> {
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PassResult<T>> | undefined;
  private started = false;
  private stopped = false;

  constructor(
    private readonly lease: JobLease,
    private readonly options: LeasedPeriodicJobOptions<T>,
  ) {
    this.intervalMs = options.intervalMs;
  }

  /** Starts the loop; the first pass runs at once. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.schedule(0);
  }

  /** Stops the loop, waits for a pass in flight and hands the lease back. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    if (this.started) await this.lease.release(this.options.name, this.holder).catch(() => undefined);
  }

  /** Changes the pause between passes (tests use a short one); the next pass is rescheduled. */
  setIntervalMs(intervalMs: number): void {
    this.intervalMs = intervalMs;
    if (this.started && !this.stopped && this.timer) {
      clearTimeout(this.timer);
      this.schedule(intervalMs);
    }
  }

  /** One pass now (or the one already running). */
  runOnce(): Promise<PassResult<T>> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<PassResult<T>> {
    const ttl = this.options.leaseTtlMs ?? Math.max(4 * this.intervalMs, 30_000);
    if (!(await this.lease.tryAcquire(this.options.name, this.holder, ttl))) return { leader: false };
    return { leader: true, result: await this.options.run() };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runOnce()
        .catch((error: unknown) => this.options.onError(error))
        .finally(() => {
          if (!this.timer) this.schedule(this.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
