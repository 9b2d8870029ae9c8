import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';

import { type AuditActor, type AuditEntryInput, AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { type DenialKey, type DenialSummary, DenialWindows } from '../domain/denial-windows';

/** A request refused with 401 (no valid credentials) or 403 (the caller's role may not). */
export interface AccessDenial {
  status: 401 | 403;
  /** The refusal's code: `missing_api_key`, `invalid_api_key`, `forbidden`, `csrf_token_invalid`... */
  code: string;
  /** `GET /api/v1/audit`, or `GET (no route)` when nothing is routed there. */
  route: string;
  /** The client address (401) or the caller (403: `api_key:<id>`, `user:<id>`). */
  source: string;
  /** The caller, when known (403); anonymous otherwise. */
  actor?: AuditActor;
}

/** Refusals of one (reason, route, source) are summarised per window of this length. */
export const ACCESS_DENIAL_WINDOW_MS = 60_000;
/** At most this many (reason, route, source) are tracked at once; further sources count together. */
const MAX_TRACKED = 500;
const ANONYMOUS: AuditActor = { kind: 'anonymous', id: null, name: 'anonymous' };

/**
 * Audits refused requests (`access.denied`) without letting a flood of them grow the chain
 * without bound: the first refusal of a (reason, route, source) is appended at once; the next
 * ones within the window are counted and appended as one summary entry (`count`, `from`, `to`)
 * when it ends (see DenialWindows). A refusal changes no state, so its entry has a transaction of
 * its own, written after the answer without holding it up; a failure to write is logged.
 */
@Injectable()
export class AccessDenialAudit implements OnModuleDestroy {
  private readonly log = new Logger('AccessDenied');
  private windows = new DenialWindows(ACCESS_DENIAL_WINDOW_MS, MAX_TRACKED);
  private timer: NodeJS.Timeout | undefined;
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {
    this.schedule();
  }

  /** Notes a refusal: appended now when it is the first of its window, else counted. */
  denied(denial: AccessDenial): void {
    const key: DenialKey = {
      reason: `${denial.status} ${denial.code}`,
      route: denial.route,
      source: denial.source,
      ...(denial.actor ? { actor: denial.actor } : {}),
    };
    if (this.windows.hit(key, Date.now()) === 'counted') return;
    this.write([
      {
        actor: denial.actor ?? ANONYMOUS,
        action: 'access.denied',
        target: { type: 'route', id: denial.route },
        after: { status: denial.status, code: denial.code, source: denial.source, count: 1 },
      },
    ]);
  }

  /** Appends the summaries of the windows that ended (the timer calls it; tests may too). */
  async flush(now = Date.now()): Promise<void> {
    this.write(this.windows.due(now).map(summaryEntry));
    await this.settled();
  }

  /** Resolves when every entry noted so far is written. */
  async settled(): Promise<void> {
    while (this.writing.size > 0) await Promise.allSettled([...this.writing]);
  }

  /** A shorter window (tests); what was counted under the old one is summarised first. */
  setWindowMs(windowMs: number): void {
    this.write(this.windows.drain(Date.now()).map(summaryEntry));
    this.windows = new DenialWindows(windowMs, MAX_TRACKED);
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.write(this.windows.drain(Date.now()).map(summaryEntry));
    await this.settled();
  }

  private schedule(): void {
    clearInterval(this.timer);
    this.timer = setInterval(
      () => void this.flush().catch(() => undefined),
      Math.max(50, Math.min(10_000, this.windows.windowMs / 4)),
    );
    this.timer.unref();
  }

  private write(entries: AuditEntryInput[]): void {
    if (entries.length === 0) return;
    const writing = this.transactions
      .run((sql) => this.audit.recordAll(sql, entries))
      .catch((error: unknown) =>
        this.log.error(`could not audit ${entries.length} access denial(s): ${String(error)}`),
      )
      .finally(() => this.writing.delete(writing));
    this.writing.add(writing);
  }
}

function summaryEntry(summary: DenialSummary): AuditEntryInput {
  const [status, code] = summary.key.reason.split(' ');
  return {
    actor: summary.key.actor ?? ANONYMOUS,
    action: 'access.denied',
    target: { type: 'route', id: summary.key.route },
    after: {
      status: Number(status),
      code,
      source: summary.key.source,
      count: summary.count,
      from: new Date(summary.from).toISOString(),
      to: new Date(summary.to).toISOString(),
      summary: true,
    },
  };
}
