import { Module } from '@nestjs/common';

import { GenerateReportUseCase } from './application/generate-report.use-case';
import { ReportData } from './application/report-data';
import { ReportQueries } from './application/report-queries';
import { ReportRenderer } from './application/report-renderer';
import { ReportStore } from './application/report-store';
import { AuditController } from './infrastructure/http/audit.controller';
import { ReportsController } from './infrastructure/http/reports.controller';
import { DocumentReportRenderer } from './infrastructure/render/document-report.renderer';
import { SqlReportData } from './infrastructure/sql/sql-report-data';
import { SqlReportStore } from './infrastructure/sql/sql-report.store';

const USE_CASES = [GenerateReportUseCase, ReportQueries];

/** Report generation and its stores; used by the API and the scheduler alike. */
@Module({
  providers: [
    { provide: ReportData, useClass: SqlReportData },
    { provide: ReportStore, useClass: SqlReportStore },
    { provide: ReportRenderer, useClass: DocumentReportRenderer },
    ...USE_CASES,
  ],
  exports: USE_CASES,
})
export class ReportsModule {}

/**
 * The api role's compliance routes: `/api/v1/reports` and `/api/v1/audit` (the audit library
 * cannot hold routes: auth records into it, and routes need auth's permission decorator).
 */
@Module({
  imports: [ReportsModule],
  controllers: [ReportsController, AuditController],
})
export class ReportsHttpModule {}
