import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AlertsModule } from '@rampart/alerts';

import { IncidentQueries } from './application/incident-queries';
import { UpdateIncidentUseCase } from './application/update-incident.use-case';
import { IncidentsController } from './infrastructure/http/incidents.controller';
import { IncidentAlertEntity } from './infrastructure/incident-alert.entity';
import { IncidentObservableEntity } from './infrastructure/incident-observable.entity';
import { IncidentRuleMatchEntity } from './infrastructure/incident-rule-match.entity';
import { IncidentTimelineEntryEntity } from './infrastructure/incident-timeline-entry.entity';
import { IncidentEntity } from './infrastructure/incident.entity';

@Module({
  imports: [
    // incident_alert references alert: its entity must be registered too.
    AlertsModule,
    TypeOrmModule.forFeature([
      IncidentEntity,
      IncidentAlertEntity,
      IncidentObservableEntity,
      IncidentRuleMatchEntity,
      IncidentTimelineEntryEntity,
    ]),
  ],
  controllers: [IncidentsController],
  providers: [IncidentQueries, UpdateIncidentUseCase],
  exports: [IncidentQueries, UpdateIncidentUseCase],
})
export class IncidentsModule {}
