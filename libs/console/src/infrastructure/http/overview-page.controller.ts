import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';

import { type AuthenticatedRequest, RequirePermission } from '@rampart/auth';
import { IncidentQueries } from '@rampart/incidents';
import { ApiDoc, BrowserPage } from '@rampart/web';

import { barChart, incidentsPerDay, median, timeToContain } from '../../domain/charts';
import { duration } from '../../domain/format';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleViews } from './console-views';
import { principalOf, send } from './page-response';
import { pageDoc } from './page-doc';

const DAYS = 30;
/** The charts read at most this many incidents of the period (newest first). */
const MAX_INCIDENTS = 5_000;

/** Charts an analyst would rather look at than read: incidents over time, time to contain. */
@Controller()
@UseFilters(ConsoleExceptionFilter)
export class OverviewPageController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly incidents: IncidentQueries,
  ) {}

  @Get('overview')
  @BrowserPage()
  @RequirePermission('incidents:read')
  @ApiDoc(pageDoc('charts: incidents opened per day and time to contain, over the last 30 days'))
  async overview(@Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    const now = new Date();
    const from = new Date(now.getTime() - DAYS * 86_400_000);
    const page = await this.incidents.list({
      status: ['new', 'acknowledged', 'contained', 'resolved', 'closed'],
      from,
      limit: MAX_INCIDENTS,
    });
    const opened = page.items.filter((incident) => new Date(incident.createdAt) >= from);
    const toContain = opened
      .filter((incident) => incident.containedAt !== null)
      .map(
        (incident) =>
          new Date(incident.containedAt as string).getTime() - new Date(incident.createdAt).getTime(),
      );
    const perDay = incidentsPerDay(
      opened.map((incident) => incident.createdAt),
      now,
      DAYS,
    );
    const typical = median(toContain);
    send(
      response,
      this.views.page(principalOf(request), { title: 'Overview', current: '/overview' }, 'overview', {
        days: DAYS,
        opened: opened.length,
        contained: toContain.length,
        medianToContain: typical === null ? 'no incident contained yet' : duration(typical),
        truncated: page.nextCursor !== null,
        perDayChart: barChart({
          id: 'incidents-per-day',
          title: `Incidents opened per day, last ${DAYS} days`,
          description: `${opened.length} incidents opened; the busiest day had ${Math.max(0, ...perDay.map((bar) => bar.value))}.`,
          bars: perDay,
          labelEvery: 5,
        }),
        containChart: barChart({
          id: 'time-to-contain',
          title: 'Time from opening to containment',
          description: `${toContain.length} incidents contained; median ${typical === null ? 'none' : duration(typical)}.`,
          bars: timeToContain(toContain),
          height: 180,
        }),
      }),
    );
  }
}
