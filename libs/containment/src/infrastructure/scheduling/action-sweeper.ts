import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';

import { AppConfig } from '@rampart/config';
import { JobLease, LeasedPeriodicJob, PassResult } from '@rampart/database';

import { ExpireDueActionsUseCase, ExpiryReport } from '../../application/expire-due-actions.use-case';
import {
  ReconcilePendingActionsUseCase,
  ReconciliationReport,
} from '../../application/reconcile-pending-actions.use-case';

export const ACTION_SWEEPER_OPTIONS = Symbol('ACTION_SWEEPER_OPTIONS');

export interface ActionSweeperOptions {
  /** Pause between passes (default 15 s). */
  intervalMs?: number;
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
  private readonly job: LeasedPeriodicJob<Omit<SweepReport, 'leader'>>;

  constructor(
    lease: JobLease,
    private readonly reconcile: ReconcilePendingActionsUseCase,
    private readonly expire: ExpireDueActionsUseCase,
    private readonly config: AppConfig,
    @Optional() @Inject(ACTION_SWEEPER_OPTIONS) options: ActionSweeperOptions = {},
  ) {
    this.job = new LeasedPeriodicJob(lease, {
      name: ACTION_SWEEPER_JOB,
      intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
      ...(options.leaseTtlMs !== undefined ? { leaseTtlMs: options.leaseTtlMs } : {}),
      run: () => this.pass(),
      onError: (error) =>
        this.logger.error(
          `sweep failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.hasRole('engine')) this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Changes the pause between passes (tests use a short one); the next pass is rescheduled. */
  setIntervalMs(intervalMs: number): void {
    this.job.setIntervalMs(intervalMs);
  }

  /** One pass now (or the one already running): take the lease, reconcile, expire. */
  async runOnce(): Promise<SweepReport> {
    return report(await this.job.runOnce());
  }

  private async pass(): Promise<Omit<SweepReport, 'leader'>> {
    const reconciled = await this.reconcile.execute();
    const expiry = await this.expire.execute();
    this.logReport(reconciled, expiry);
    return { reconciled, expiry };
  }

  private logReport(reconciled: ReconciliationReport, expiry: ExpiryReport): void {
    if (reconciled.succeeded + reconciled.failed + reconciled.unresolved + reconciled.isolated > 0) {
      this.logger.log(
        `reconciled pending actions: ${reconciled.succeeded} succeeded, ${reconciled.failed} failed, ` +
          `${reconciled.unresolved} still unresolved, ${reconciled.isolated} set aside`,
      );
    }
    if (expiry.expired + expiry.failed + expiry.retrying + expiry.isolated > 0) {
      this.logger.log(
        `expired actions: ${expiry.expired} lifted, ${expiry.failed} failed to lift, ${expiry.retrying} to retry, ` +
          `${expiry.isolated} set aside`,
      );
    }
  }
}

function report(pass: PassResult<Omit<SweepReport, 'leader'>>): SweepReport {
  if (pass.leader) return { leader: true, ...pass.result };
  return {
    leader: false,
    reconciled: { succeeded: 0, failed: 0, unresolved: 0, isolated: 0 },
    expiry: { expired: 0, failed: 0, retrying: 0, isolated: 0 },
  };
}
