import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { AppConfig } from '@rampart/config';
import { DatabaseNotifications } from '@rampart/database';

import { AdvanceRunUseCase, RUN_LEASE_MS } from '../../application/runs/advance-run.use-case';
import { RunRepository } from '../../application/runs/run-repository';
import { PLAYBOOK_RUN_CHANNEL } from '../sql/sql-run.repository';

/** Due timers are found by polling at least this often (events and results wake the worker at once). */
const POLL_MS = 500;
const RENEW_EVERY_MS = RUN_LEASE_MS / 3;

/**
 * The engine role's playbook worker: claims runs with work due (FOR UPDATE SKIP LOCKED, then a
 * lease), advances up to ENGINE_CONCURRENCY of them at once, renews their leases while it works,
 * and hands them back. Any number of workers in any number of processes share the runs; one that
 * dies loses its runs when their leases run out, and another carries on where they stood.
 */
@Injectable()
export class RunWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PlaybookWorker');
  readonly holder = `engine:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly inFlight = new Map<string, Promise<void>>();
  private running: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly runs: RunRepository,
    private readonly advanceRun: AdvanceRunUseCase,
    private readonly notifications: DatabaseNotifications,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.hasRole('engine')) return;
    this.unsubscribe = this.notifications.subscribe(PLAYBOOK_RUN_CHANNEL, () => this.wake?.());
    this.running = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    const concurrency = this.config.env.ENGINE_CONCURRENCY;
    while (!this.stopped) {
      let claimed: string[] = [];
      const room = concurrency - this.inFlight.size;
      if (room > 0) {
        try {
          claimed = await this.runs.claimRunnable(this.holder, RUN_LEASE_MS, room);
        } catch (error) {
          this.logger.error(`claiming runs failed: ${String(error)}`);
        }
      }
      for (const runId of claimed) this.inFlight.set(runId, this.work(runId));
      if (this.stopped) break;
      if (claimed.length === 0 || this.inFlight.size >= concurrency) await this.idle();
    }
    await Promise.allSettled(this.inFlight.values());
  }

  /** Waits for a notification, a finished run or the poll interval, whichever comes first. */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
      for (const task of this.inFlight.values()) void task.then(done, done);
    });
  }

  private async work(runId: string): Promise<void> {
    const renewal = setInterval(() => {
      void this.runs.renew(runId, this.holder, RUN_LEASE_MS).catch(() => undefined);
    }, RENEW_EVERY_MS);
    renewal.unref();
    try {
      await this.advanceRun.advance(runId, this.holder);
    } catch (error) {
      this.logger.error(
        `run ${runId} could not advance; tried again when its lease runs out: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      clearInterval(renewal);
      this.inFlight.delete(runId);
      return;
    }
    clearInterval(renewal);
    await this.runs.release(runId, this.holder).catch(() => undefined);
    this.inFlight.delete(runId);
    this.wake?.();
  }
}
