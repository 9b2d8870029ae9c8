import { Injectable } from '@nestjs/common';

import { ReportError } from './report-error';
import { type ReportSchedule, ReportScheduleStore, type ScheduleRun } from './report-schedule-store';

@Injectable()
export class ReportScheduleQueries {
  constructor(private readonly store: ReportScheduleStore) {}

  list(): Promise<ReportSchedule[]> {
    return this.store.list();
  }

  async runs(name: string, limit: number): Promise<ScheduleRun[]> {
    const schedule = (await this.store.list()).find((candidate) => candidate.name === name);
    if (!schedule) throw new ReportError('not_found', `no report schedule named "${name}"`, 'name');
    return this.store.runs(schedule.id, limit);
  }
}
