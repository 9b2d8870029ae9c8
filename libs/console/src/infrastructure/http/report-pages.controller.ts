import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';

import { type AuthenticatedRequest, RequirePermission } from '@rampart/auth';
import {
  formatsOf,
  REPORT_KINDS,
  REPORT_TITLES,
  ReportQueries,
  ReportScheduleQueries,
} from '@rampart/reports';
import { ApiDoc, BrowserPage } from '@rampart/web';

import { shortTime } from '../../domain/format';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleViews } from './console-views';
import { principalOf, send } from './page-response';
import { pageDoc } from './page-doc';

/** Compliance reports: generate one for a period, download those generated, see the schedules. */
@Controller()
@UseFilters(ConsoleExceptionFilter)
export class ReportPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly reports: ReportQueries,
    private readonly schedules: ReportScheduleQueries,
  ) {}

  @Get('reports')
  @BrowserPage()
  @RequirePermission('reports:read')
  @ApiDoc(pageDoc('reports: generate (type, period, format), download, schedules'))
  async list(@Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    const [page, schedules] = await Promise.all([this.reports.list(50), this.schedules.list()]);
    const today = new Date();
    const monthAgo = new Date(today.getTime() - 30 * 86_400_000);
    send(
      response,
      this.views.page(principalOf(request), { title: 'Reports', current: '/reports' }, 'reports', {
        kinds: REPORT_KINDS.map((kind) => ({
          value: kind,
          title: REPORT_TITLES[kind],
          formats: formatsOf(kind).join(', '),
        })),
        formats: ['html', 'pdf', 'csv', 'json', 'ndjson'],
        from: monthAgo.toISOString().slice(0, 10),
        to: today.toISOString().slice(0, 10),
        reports: page.items.map((report) => ({
          id: report.id,
          title: REPORT_TITLES[report.kind],
          format: report.format,
          period: `${report.period.from.slice(0, 10)} – ${report.period.to.slice(0, 10)}`,
          createdAt: shortTime(report.createdAt),
          requestedBy: report.requestedBy,
          fileName: report.fileName,
          size: `${Math.max(1, Math.round(report.sizeBytes / 1024))} KiB`,
        })),
        schedules: schedules.map((schedule) => ({
          name: schedule.name,
          title: REPORT_TITLES[schedule.kind],
          format: schedule.format,
          cron: schedule.cron,
          timezone: schedule.timezone,
          enabled: schedule.enabled,
          source: schedule.source,
          delivery: [
            ...(schedule.toDirectory ? ['export directory'] : []),
            ...(schedule.webhookUrl ? ['webhook'] : []),
          ].join(', '),
        })),
      }),
    );
  }
}
