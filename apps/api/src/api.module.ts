import { Module } from '@nestjs/common';

import { IncidentsModule } from '@rampart/incidents';
import { IntakeModule } from '@rampart/intake';

/** The REST API: webhook intake and incidents. */
@Module({
  imports: [IntakeModule.register({ http: true, kafka: false }), IncidentsModule],
})
export class ApiModule {}
