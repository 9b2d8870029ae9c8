import { Module } from '@nestjs/common';

import { ConnectorsHttpModule } from '@rampart/connectors';
import { ContainmentHttpModule } from '@rampart/containment';
import { IncidentsModule } from '@rampart/incidents';
import { IntakeModule } from '@rampart/intake';

/** The REST API: webhook intake, incidents, connector instances and containment actions. */
@Module({
  imports: [
    IntakeModule.register({ http: true, kafka: false }),
    IncidentsModule,
    ConnectorsHttpModule,
    ContainmentHttpModule,
  ],
})
export class ApiModule {}
