import { createHash, randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import {
  type AuditActor,
  AuditQueries,
  AuditTrail,
  type Checkpoint,
  ExportAuditTrailUseCase,
  SignCheckpointUseCase,
  VerifyAuditTrailUseCase,
} from '@rampart/audit';
import { AppConfig } from '@rampart/config';
import { TransactionRunner } from '@rampart/database';
import { RequestContext } from '@rampart/web';

import type { ReportDocument } from '../domain/report-document';
import {
  CONTENT_TYPES,
  formatsOf,
  type ReportFormat,
  type ReportKind,
  REPORT_TITLES,
} from '../domain/report-kind';
import { accessReviewSections } from '../domain/reports/access-review.report';
import { auditIntegritySections } from '../domain/reports/audit-integrity.report';
import {
  containmentRegister,
  containmentRegisterSections,
} from '../domain/reports/containment-register.report';
import {
  incidentMetrics,
  incidentMetricsSections,
  type SlaTable,
} from '../domain/reports/incident-metrics.report';
import { ReportData } from './report-data';
import { ReportError } from './report-error';
import { ReportRenderer } from './report-renderer';
import { ReportStore, type ReportView } from './report-store';

export interface GenerateReportCommand {
  kind: ReportKind;
  format: ReportFormat;
  from: Date;
  to: Date;
  /** The schedule that runs it, if any. */
  scheduleId?: string;
  /** Default: the caller of the current request. */
  actor?: AuditActor;
}

export const MAX_PERIOD_MS = 400 * 86_400_000;

/**
 * Generates a report for a period: reads the period's rows, builds the document, signs a
 * checkpoint of the audit chain, renders, and stores the bytes together with a `report.generated`
 * audit entry in one transaction.
 */
@Injectable()
export class GenerateReportUseCase {
  constructor(
    private readonly data: ReportData,
    private readonly renderer: ReportRenderer,
    private readonly store: ReportStore,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
    private readonly auditQueries: AuditQueries,
    private readonly verification: VerifyAuditTrailUseCase,
    private readonly checkpoints: SignCheckpointUseCase,
    private readonly auditExport: ExportAuditTrailUseCase,
    private readonly config: AppConfig,
  ) {}

  async execute(command: GenerateReportCommand): Promise<ReportView> {
    assertValid(command);
    const actor = command.actor ?? requestActor();
    const generatedAt = new Date();
    let content: Buffer;
    let checkpoint: Checkpoint;
    if (command.kind === 'audit_trail') {
      const exported = await this.auditExport.execute({ from: command.from, to: command.to });
      content = Buffer.from(exported.content, 'utf8');
      checkpoint = exported.checkpoint;
    } else {
      const document = await this.document(command, generatedAt, actor.name);
      checkpoint = await this.checkpoints.execute('export');
      content = await this.renderer.render(document, command.format as 'html', checkpoint);
    }
    const id = randomUUID();
    const fileName = `rampart-${command.kind.replaceAll('_', '-')}-${day(command.from)}-${day(command.to)}.${command.format}`;
    return this.transactions.run(async (sql) => {
      const view = await this.store.insert(sql, {
        id,
        kind: command.kind,
        format: command.format,
        period: { from: command.from.toISOString(), to: command.to.toISOString() },
        requestedBy: actor.name,
        scheduleId: command.scheduleId ?? null,
        fileName,
        contentType: CONTENT_TYPES[command.format],
        sizeBytes: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        checkpoint,
        content,
      });
      await this.audit.record(sql, {
        action: 'report.generated',
        target: { type: 'report', id, name: fileName },
        after: {
          kind: view.kind,
          format: view.format,
          period: view.period,
          sha256: view.sha256,
          scheduleId: view.scheduleId,
          checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash, keyId: checkpoint.keyId },
        },
        actor,
      });
      return view;
    });
  }

  /** The bytes of a report generated before. */
  async content(id: string): Promise<Buffer | null> {
    return (await this.store.content(id))?.content ?? null;
  }

  private async document(
    command: GenerateReportCommand,
    generatedAt: Date,
    by: string,
  ): Promise<ReportDocument> {
    const { from, to } = command;
    const asOf = new Date(Math.min(to.getTime(), generatedAt.getTime()));
    const base = {
      kind: command.kind,
      title: REPORT_TITLES[command.kind],
      period: { from: from.toISOString(), to: to.toISOString() },
      generatedAt: generatedAt.toISOString(),
      generatedBy: by,
    };
    switch (command.kind) {
      case 'incident_metrics': {
        const incidents = await this.data.incidentsOpened(from, to);
        const metrics = incidentMetrics(incidents, this.slas(), asOf);
        return {
          ...base,
          facts: { ...metrics, asOf: asOf.toISOString() },
          sections: incidentMetricsSections(metrics),
          data: { metrics, slas: this.slas(), incidents },
        };
      }
      case 'containment_register': {
        const actions = await this.data.containmentActions(from, to);
        const register = containmentRegister(actions);
        return {
          ...base,
          facts: { ...register },
          sections: containmentRegisterSections(register, actions),
          data: { ...register, items: actions },
        };
      }
      case 'audit_integrity': {
        const [verification, entriesByAction] = await Promise.all([
          this.verification.execute(),
          this.auditQueries.countByAction(from, to),
        ]);
        const entriesInPeriod = entriesByAction.reduce((sum, row) => sum + row.count, 0);
        const facts = {
          verification,
          entriesByAction,
          entriesInPeriod,
          publicKey: this.auditQueries.publicKey(),
        };
        return { ...base, facts, sections: auditIntegritySections(facts), data: facts };
      }
      case 'access_review': {
        const [principals, failedLogins, changes] = await Promise.all([
          this.data.principals(),
          this.data.failedLogins(from, to),
          this.data.accessChanges(from, to),
        ]);
        const facts = { principals, failedLogins, changes };
        const active = principals.filter((principal) => principal.revokedAt === null).length;
        return {
          ...base,
          facts: {
            ...facts,
            active,
            failedLoginTotal: failedLogins.reduce((sum, row) => sum + row.count, 0),
          },
          sections: accessReviewSections(facts, asOf),
          data: facts,
        };
      }
      default:
        throw new ReportError('invalid_request', `kind: ${command.kind} has no document`, 'kind');
    }
  }

  private slas(): SlaTable {
    const env = this.config.env;
    return { acknowledge: env.SLA_ACKNOWLEDGE, contain: env.SLA_CONTAIN, resolve: env.SLA_RESOLVE };
  }
}

function assertValid(command: GenerateReportCommand): void {
  if (!formatsOf(command.kind).includes(command.format)) {
    throw new ReportError(
      'invalid_request',
      `format: ${command.kind} reports are made as ${formatsOf(command.kind).join(', ')}`,
      'format',
    );
  }
  if (!(command.from.getTime() < command.to.getTime())) {
    throw new ReportError('invalid_request', 'to: must be after from', 'to');
  }
  if (command.to.getTime() - command.from.getTime() > MAX_PERIOD_MS) {
    throw new ReportError('invalid_request', 'to: a report covers at most 400 days', 'to');
  }
}

function requestActor(): AuditActor {
  return RequestContext.actor() ?? { kind: 'system', id: null, name: 'reports' };
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
