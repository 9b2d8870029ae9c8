import { Module } from '@nestjs/common';

import { ConnectorsHttpModule } from '@rampart/connectors';
import { ContainmentHttpModule } from '@rampart/containment';
import { IncidentsModule } from '@rampart/incidents';
import { IntakeModule } from '@rampart/intake';
import { ReportsHttpModule } from '@rampart/reports';

/** The REST API: webhook intake, incidents, connector instances, containment actions, audit and reports. */
@Module({
  imports: [
    IntakeModule.register({ http: true, kafka: false }),
    IncidentsModule,
    ConnectorsHttpModule,
    ContainmentHttpModule,
    ReportsHttpModule,
  ],
})
export class ApiModule {}
