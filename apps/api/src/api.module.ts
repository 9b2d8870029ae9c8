import { Module } from '@nestjs/common';

import { AlertsHttpModule } from '@rampart/alerts';
import { AuthHttpModule } from '@rampart/auth';
import { ConnectorsHttpModule } from '@rampart/connectors';
import { ConsoleModule } from '@rampart/console';
import { ContainmentHttpModule } from '@rampart/containment';
import { IncidentsModule } from '@rampart/incidents';
import { IntakeModule } from '@rampart/intake';
import { PlaybooksHttpModule } from '@rampart/playbooks';
import { ReportsHttpModule } from '@rampart/reports';

/**
 * The REST API: webhook intake, alerts, incidents, connector instances, containment actions,
 * playbooks and runs, audit and reports, accounts (sign-in, users, API keys), the sign-in page and
 * the web console.
 */
@Module({
  imports: [
    IntakeModule.register({ http: true, kafka: false }),
    AlertsHttpModule,
    IncidentsModule,
    ConnectorsHttpModule,
    AuthHttpModule,
    ContainmentHttpModule,
    PlaybooksHttpModule,
    ReportsHttpModule,
    ConsoleModule,
  ],
})
export class ApiModule {}
