import { Module } from '@nestjs/common';

import { ConnectorsHttpModule } from '@rampart/connectors';
import { ContainmentHttpModule } from '@rampart/containment';
import { IncidentsModule } from '@rampart/incidents';
import { IntakeModule } from '@rampart/intake';
import { PlaybooksHttpModule } from '@rampart/playbooks';
import { ReportsHttpModule } from '@rampart/reports';

/** The REST API: webhook intake, incidents, connector instances, containment actions, playbooks and runs, audit and reports. */
@Module({
  imports: [
    IntakeModule.register({ http: true, kafka: false }),
    IncidentsModule,
    ConnectorsHttpModule,
    ContainmentHttpModule,
    PlaybooksHttpModule,
    ReportsHttpModule,
  ],
})
export class ApiModule {}
