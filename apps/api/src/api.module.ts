import { Module } from '@nestjs/common';

import { AuthHttpModule } from '@rampart/auth';
import { ConnectorsHttpModule } from '@rampart/connectors';
import { ContainmentHttpModule } from '@rampart/containment';
import { IncidentsModule } from '@rampart/incidents';
import { IntakeModule } from '@rampart/intake';

/**
 * The REST API: webhook intake, incidents, connector instances and containment actions, accounts
 * (sign-in, users, API keys) and the sign-in page.
 */
@Module({
  imports: [
    IntakeModule.register({ http: true, kafka: false }),
    IncidentsModule,
    ConnectorsHttpModule,
    AuthHttpModule,
    ContainmentHttpModule,
  ],
})
export class ApiModule {}
