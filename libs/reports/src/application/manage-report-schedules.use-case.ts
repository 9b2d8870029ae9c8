import { Injectable } from '@nestjs/common';

import { AuditTrail, systemActor } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { formatsOf } from '../domain/report-kind';
import { cronProblem } from '../domain/schedule-period';
import { ReportError } from './report-error';
import {
  type ReportSchedule,
  type ReportScheduleDefinition,
  ReportScheduleStore,
} from './report-schedule-store';

/**
 * Report schedules through the API (create, replace, delete), and from REPORT_SCHEDULES_FILE at
 * start. Every change is audited in its transaction. Schedules from the file are refused to the
 * API: the file would put them back at the next start.
 */
@Injectable()
export class ManageReportSchedulesUseCase {
  constructor(
    private readonly store: ReportScheduleStore,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async create(definition: ReportScheduleDefinition): Promise<ReportSchedule> {
    assertValid(definition);
    return this.transactions.run(async (sql) => {
      const created = await this.store.insert(sql, definition, 'api');
      if (!created)
        throw new ReportError('conflict', `a schedule named "${definition.name}" already exists`, 'name');
      await this.audit.record(sql, {
        action: 'report_schedule.created',
        target: { type: 'report_schedule', id: created.id, name: created.name },
        after: created,
      });
      return created;
    });
  }

  async replace(definition: ReportScheduleDefinition): Promise<ReportSchedule> {
    assertValid(definition);
    return this.transactions.run(async (sql) => {
      const before = await this.existing(definition.name, sql);
      const after = await this.store.update(sql, definition, 'api');
      await this.audit.record(sql, {
        action: 'report_schedule.updated',
        target: { type: 'report_schedule', id: after.id, name: after.name },
        before,
        after,
      });
      return after;
    });
  }

  async remove(name: string): Promise<void> {
    await this.transactions.run(async (sql) => {
      await this.existing(name, sql);
      const removed = (await this.store.delete(sql, name)) as ReportSchedule;
      await this.audit.record(sql, {
        action: 'report_schedule.deleted',
        target: { type: 'report_schedule', id: removed.id, name },
        before: removed,
      });
    });
  }

  /** Declared schedules: created or replaced by name, each change audited as the configuration's. */
  async applyFile(definitions: ReportScheduleDefinition[]): Promise<void> {
    definitions.forEach(assertValid);
    await this.transactions.run(async (sql) => {
      await this.store.lockForFile(sql);
      for (const definition of definitions) {
        const before = await this.store.findByName(definition.name, sql);
        if (before && sameDefinition(before, definition) && before.source === 'file') continue;
        const after = before
          ? await this.store.update(sql, definition, 'file')
          : ((await this.store.insert(sql, definition, 'file')) as ReportSchedule);
        await this.audit.record(sql, {
          action: before ? 'report_schedule.updated' : 'report_schedule.created',
          target: { type: 'report_schedule', id: after.id, name: after.name },
          before: before ?? undefined,
          after,
          actor: systemActor('REPORT_SCHEDULES_FILE'),
        });
      }
    });
  }

  private async existing(
    name: string,
    sql: Parameters<ReportScheduleStore['findByName']>[1],
  ): Promise<ReportSchedule> {
    const schedule = await this.store.findByName(name, sql);
    if (!schedule) throw new ReportError('not_found', `no report schedule named "${name}"`, 'name');
    if (schedule.source === 'file') {
      throw new ReportError(
        'managed_by_file',
        `schedule "${name}" is declared in REPORT_SCHEDULES_FILE; change it there`,
        'name',
      );
    }
    return schedule;
  }
}

function assertValid(definition: ReportScheduleDefinition): void {
  if (!formatsOf(definition.kind).includes(definition.format)) {
    throw new ReportError(
      'invalid_request',
      `format: ${definition.kind} reports are made as ${formatsOf(definition.kind).join(', ')}`,
      'format',
    );
  }
  const problem = cronProblem(definition.cron, definition.timezone);
  if (problem) throw new ReportError('invalid_request', problem, problem.split(':')[0]);
  if (!definition.toDirectory && definition.webhookUrl === null) {
    throw new ReportError(
      'invalid_request',
      'webhookUrl: give a webhook, or toDirectory: true',
      'webhookUrl',
    );
  }
}

function sameDefinition(schedule: ReportSchedule, definition: ReportScheduleDefinition): boolean {
  return (Object.keys(definition) as (keyof ReportScheduleDefinition)[]).every(
    (key) => schedule[key] === definition[key],
  );
}
