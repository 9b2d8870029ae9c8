import { Module } from '@nestjs/common';

import { GenerateReportUseCase } from './application/generate-report.use-case';
import { ManageReportSchedulesUseCase } from './application/manage-report-schedules.use-case';
import { ReportData } from './application/report-data';
import { ExportDirectory, ReportWebhook } from './application/report-delivery';
import { ReportQueries } from './application/report-queries';
import { ReportRenderer } from './application/report-renderer';
import { ReportScheduleQueries } from './application/report-schedule-queries';
import { ReportScheduleStore } from './application/report-schedule-store';
import { ReportStore } from './application/report-store';
import { RunDueSchedulesUseCase } from './application/run-due-schedules.use-case';
import { FileExportDirectory } from './infrastructure/delivery/file-export.directory';
import { HttpReportWebhook } from './infrastructure/delivery/http-report.webhook';
import { AuditController } from './infrastructure/http/audit.controller';
import { ReportSchedulesController } from './infrastructure/http/report-schedules.controller';
import { ReportsController } from './infrastructure/http/reports.controller';
import { DocumentReportRenderer } from './infrastructure/render/document-report.renderer';
import { ReportScheduler } from './infrastructure/scheduling/report-scheduler';
import { SqlReportData } from './infrastructure/sql/sql-report-data';
import { SqlReportScheduleStore } from './infrastructure/sql/sql-report-schedule.store';
import { SqlReportStore } from './infrastructure/sql/sql-report.store';

const USE_CASES = [
  GenerateReportUseCase,
  ReportQueries,
  ManageReportSchedulesUseCase,
  ReportScheduleQueries,
  RunDueSchedulesUseCase,
];

/**
 * Report generation, schedules and their stores, for the API and the scheduler alike. Static, so
 * the api and engine roles share one instance of it in a process that runs both.
 */
@Module({
  providers: [
    { provide: ReportData, useClass: SqlReportData },
    { provide: ReportStore, useClass: SqlReportStore },
    { provide: ReportScheduleStore, useClass: SqlReportScheduleStore },
    { provide: ReportRenderer, useClass: DocumentReportRenderer },
    { provide: ExportDirectory, useClass: FileExportDirectory },
    { provide: ReportWebhook, useClass: HttpReportWebhook },
    ...USE_CASES,
  ],
  exports: USE_CASES,
})
export class ReportsModule {}

/**
 * The api role's compliance routes: `/api/v1/reports`, `/api/v1/report-schedules` and
 * `/api/v1/audit` (the audit library holds no routes: auth records into it, and routes need
 * auth's permission decorator, so audit importing auth would make a cycle).
 */
@Module({
  imports: [ReportsModule],
  controllers: [ReportsController, ReportSchedulesController, AuditController],
})
export class ReportsHttpModule {}

/** The engine role's report scheduler (and REPORT_SCHEDULES_FILE). */
@Module({
  imports: [ReportsModule],
  providers: [ReportScheduler],
  exports: [ReportScheduler],
})
export class ReportSchedulerModule {}
