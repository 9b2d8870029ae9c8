import { Module } from '@nestjs/common';

import { AlertsHttpModule } from '@rampart/alerts';
import { ConnectorsHttpModule } from '@rampart/connectors';
import { ContainmentHttpModule } from '@rampart/containment';
import { IncidentsModule } from '@rampart/incidents';
import { IntakeModule } from '@rampart/intake';

/** The REST API: webhook intake, alerts, incidents, connector instances and containment actions. */
@Module({
  imports: [
    IntakeModule.register({ http: true, kafka: false }),
    AlertsHttpModule,
    IncidentsModule,
    ConnectorsHttpModule,
    ContainmentHttpModule,
  ],
})
export class ApiModule {}
