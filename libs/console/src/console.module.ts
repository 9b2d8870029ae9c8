import { Module } from '@nestjs/common';

import { AuthModule } from '@rampart/auth';
import { ConnectorsModule } from '@rampart/connectors';
import { ContainmentModule } from '@rampart/containment';
import { IncidentsCoreModule } from '@rampart/incidents';
import { PlaybookRunsModule, PlaybooksModule } from '@rampart/playbooks';
import { ReportsModule } from '@rampart/reports';

import { IncidentLiveFeed } from './application/incident-live-feed';
import { AdminPagesController } from './infrastructure/http/admin-pages.controller';
import { ConsoleAssetsController } from './infrastructure/http/console-assets.controller';
import { ConsoleEventsController } from './infrastructure/http/console-events.controller';
import { ConsoleExceptionFilter } from './infrastructure/http/console-exception.filter';
import { ConsoleViews } from './infrastructure/http/console-views';
import { IncidentPagesController } from './infrastructure/http/incident-pages.controller';
import { OversightPagesController } from './infrastructure/http/oversight-pages.controller';
import { OverviewPageController } from './infrastructure/http/overview-page.controller';
import { ReportPagesController } from './infrastructure/http/report-pages.controller';
import { ResponsePagesController } from './infrastructure/http/response-pages.controller';

/**
 * The analysts' web console (api role): server-rendered pages over the other libraries' queries,
 * changes sent by htmx to the same JSON API (and so the same use cases, guard and CSRF check),
 * live incident updates over server-sent events.
 */
@Module({
  imports: [
    AuthModule,
    ConnectorsModule,
    IncidentsCoreModule,
    PlaybooksModule,
    PlaybookRunsModule,
    ContainmentModule,
    ReportsModule,
  ],
  controllers: [
    ConsoleAssetsController,
    ConsoleEventsController,
    IncidentPagesController,
    ResponsePagesController,
    ReportPagesController,
    OversightPagesController,
    AdminPagesController,
    OverviewPageController,
  ],
  providers: [ConsoleViews, ConsoleExceptionFilter, IncidentLiveFeed],
})
export class ConsoleModule {}
