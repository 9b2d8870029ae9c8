import { Module } from '@nestjs/common';

import { IncidentQueries } from './application/incident-queries';
import { UpdateIncidentUseCase } from './application/update-incident.use-case';
import { IncidentsController } from './infrastructure/http/incidents.controller';

@Module({
  controllers: [IncidentsController],
  providers: [IncidentQueries, UpdateIncidentUseCase],
  exports: [IncidentQueries, UpdateIncidentUseCase],
})
export class IncidentsModule {}
