import { Injectable, Logger } from '@nestjs/common';

import { type AuditEntryInput, AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';
import { IncidentEventFeed } from '@rampart/incidents';

import { type IncidentSnapshot, matchingPlaybooks, type TriggerEvent } from '../../domain';
import { PlaybookRegistry } from '../playbook-registry';
import { RunContextReader } from './incident-snapshots';
import { RunRepository } from './run-repository';
import { StartRunUseCase } from './start-run.use-case';

export const TRIGGER_CURSOR = 'playbook-triggers';
const PAGE = 200;

/** Which trigger an incident change is; comments trigger nothing. */
function triggerOf(kind: string): TriggerEvent | null {
  if (kind === 'created') return 'incident.created';
  if (kind === 'commented') return null;
  return 'incident.updated';
}

/**
 * Starts the playbooks that incident changes trigger, from the incident event feed: every
 * committed change is seen exactly once, in order, because the runs a page starts and the cursor
 * past it are written in one transaction (a crash replays the page; trigger keys make that a
 * no-op). Within a page, an incident's changes of one kind trigger once.
 */
@Injectable()
export class TriggerPlaybooksUseCase {
  private readonly logger = new Logger('PlaybookTriggers');

  constructor(
    private readonly feed: IncidentEventFeed,
    private readonly transactions: TransactionRunner,
    private readonly runs: RunRepository,
    private readonly registry: PlaybookRegistry,
    private readonly context: RunContextReader,
    private readonly starter: StartRunUseCase,
    private readonly audit: AuditTrail,
  ) {}

  /** Processes every event available now; the number of runs started. */
  async drain(): Promise<number> {
    let started = 0;
    for (;;) {
      const cursor = await this.transactions.run((sql) => this.runs.readCursor(sql, TRIGGER_CURSOR));
      const page = await this.feed.readAfter(cursor, PAGE);
      if (page.events.length === 0) return started;
      // The last change of each kind per incident stands for the page's changes of that kind.
      const triggers = new Map<string, { incidentId: string; type: TriggerEvent; seq: string }>();
      for (const event of page.events) {
        const type = triggerOf(event.kind);
        if (type !== null)
          triggers.set(`${event.incidentId}:${type}`, { incidentId: event.incidentId, type, seq: event.seq });
      }
      const connectors = triggers.size > 0 ? await this.context.connectors() : [];
      const planned: { snapshot: IncidentSnapshot; type: TriggerEvent; seq: string }[] = [];
      if (this.registry.validPlaybooks().length > 0) {
        // A storm opens many incidents at once: the page's snapshots are read together, each
        // incident once however many kinds of change it had in the page.
        const ids = [...new Set([...triggers.values()].map((trigger) => trigger.incidentId))];
        const [snapshots, ran] = await Promise.all([
          this.context.snapshots(ids),
          this.runs.playbooksRunOnEach(ids),
        ]);
        for (const { incidentId, type, seq } of triggers.values()) {
          const snapshot = snapshots.get(incidentId);
          if (snapshot)
            planned.push({ snapshot: { ...snapshot, playbookRuns: ran.get(incidentId) ?? [] }, type, seq });
        }
        // Runs start in the order their changes happened.
        planned.sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)));
      }
      started += await this.transactions.run(async (sql) => {
        const audited: AuditEntryInput[] = [];
        for (const { snapshot, type, seq } of planned) {
          for (const playbook of matchingPlaybooks(this.registry, snapshot, { type })) {
            const run = await this.starter.startTriggered(
              sql,
              playbook,
              snapshot,
              connectors,
              `event:${seq}`,
            );
            if (run) {
              audited.push(run);
              this.logger.log(
                `incident #${snapshot.incident.number} ${type}: started playbook ${playbook.id}`,
              );
            }
          }
        }
        await this.runs.writeCursor(sql, TRIGGER_CURSOR, page.cursor);
        // Last: appending locks the audit chain head until this transaction commits.
        await this.audit.recordAll(sql, audited);
        return audited.length;
      });
    }
  }

  /** Resolves when incident events may have arrived, or after `timeoutMs`. */
  waitForEvents(signal: AbortSignal, timeoutMs: number): Promise<void> {
    return this.feed.waitForEvents(signal, timeoutMs);
  }
}
