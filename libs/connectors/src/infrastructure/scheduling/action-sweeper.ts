import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';

import { AppConfig } from '@rampart/config';

import { ExpireDueActionsUseCase, ExpiryReport } from '../../application/expire-due-actions.use-case';
import { JobLease } from '../../application/job-lease';
import {
  DEFAULT_PENDING_GRACE_MS,
  ReconcilePendingActionsUseCase,
  ReconciliationReport,
} from '../../application/reconcile-pending-actions.use-case';

export const ACTION_SWEEPER_OPTIONS = Symbol('ACTION_SWEEPER_OPTIONS');

export interface ActionSweeperOptions {
  /** Pause between passes (default 15 s). */
  intervalMs?: number;
  /** How long an action may stay pending before it is reconciled (default 5 min). */
  pendingGraceMs?: number;
  /** Lease lifetime; renewed every pass (default 4 intervals, at least 30 s). */
  leaseTtlMs?: number;
}

export interface SweepReport {
  /** false when another replica holds the lease: nothing was done. */
  leader: boolean;
  reconciled: ReconciliationReport;
  expiry: ExpiryReport;
}

export const ACTION_SWEEPER_JOB = 'containment-action-sweeper';
const DEFAULT_INTERVAL_MS = 15_000;

/**
 * The engine role's background job for containment actions: every pass (the first one at start)
 * reconciles actions a crash left pending, then lifts the expired ones. Runs in one replica at a
 * time, the holder of the `containment-action-sweeper` job lease.
 */
@Injectable()
export class ActionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ActionSweeper');
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private intervalMs: number;
  private readonly pendingGraceMs: number;
  private readonly leaseTtlMs: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepReport> | undefined;
  private started = false;
  private stopped = false;

  constructor(
    private readonly lease: JobLease,
    private readonly reconcile: ReconcilePendingActionsUseCase,
    private readonly expire: ExpireDueActionsUseCase,
    private readonly config: AppConfig,
    @Optional() @Inject(ACTION_SWEEPER_OPTIONS) options: ActionSweeperOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.pendingGraceMs = options.pendingGraceMs ?? DEFAULT_PENDING_GRACE_MS;
    this.leaseTtlMs = options.leaseTtlMs;
  }

  onApplicationBootstrap(): void {
    if (!this.config.hasRole('engine')) return;
    this.started = true;
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    if (this.started) await this.lease.release(ACTION_SWEEPER_JOB, this.holder).catch(() => undefined);
  }

  /** Changes the pause between passes (tests use a short one); the next pass is rescheduled. */
  setIntervalMs(intervalMs: number): void {
    this.intervalMs = intervalMs;
    if (this.started && !this.stopped && this.timer) {
      clearTimeout(this.timer);
      this.schedule(intervalMs);
    }
  }

  /** One pass now (or the one already running): take the lease, reconcile, expire. */
  runOnce(): Promise<SweepReport> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<SweepReport> {
    const idle: SweepReport = {
      leader: false,
      reconciled: { succeeded: 0, failed: 0, unresolved: 0 },
      expiry: { expired: 0, failed: 0, retrying: 0 },
    };
    const ttl = this.leaseTtlMs ?? Math.max(4 * this.intervalMs, 30_000);
    if (!(await this.lease.tryAcquire(ACTION_SWEEPER_JOB, this.holder, ttl))) return idle;
    const reconciled = await this.reconcile.execute(this.pendingGraceMs);
    const expiry = await this.expire.execute();
    const report = { leader: true, reconciled, expiry };
    this.logReport(report);
    return report;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runOnce()
        .catch((error: unknown) => {
          this.logger.error(
            `sweep failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
        })
        .finally(() => {
          if (!this.timer) this.schedule(this.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private logReport({ reconciled, expiry }: SweepReport): void {
    if (reconciled.succeeded + reconciled.failed + reconciled.unresolved > 0) {
      this.logger.log(
        `reconciled pending actions: ${reconciled.succeeded} succeeded, ${reconciled.failed} failed, ${reconciled.unresolved} still unresolved`,
      );
    }
    if (expiry.expired + expiry.failed + expiry.retrying > 0) {
      this.logger.log(
        `expired actions: ${expiry.expired} lifted, ${expiry.failed} failed to lift, ${expiry.retrying} to retry`,
      );
    }
  }
}
