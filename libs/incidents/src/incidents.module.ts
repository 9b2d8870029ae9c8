import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AlertsModule } from '@rampart/alerts';

import { AddIncidentCommentUseCase } from './application/add-incident-comment.use-case';
import { IncidentEventFeed } from './application/incident-event-feed';
import { IncidentLookup } from './application/incident-lookup';
import { IncidentQueries } from './application/incident-queries';
import { IncidentWriter } from './application/incident-writer';
import { UpdateIncidentUseCase } from './application/update-incident.use-case';
import { IncidentsController } from './infrastructure/http/incidents.controller';
import { IncidentAlertEntity } from './infrastructure/incident-alert.entity';
import { IncidentCommentEntity } from './infrastructure/incident-comment.entity';
import { IncidentEventEntity } from './infrastructure/incident-event.entity';
import { IncidentMembershipEntity } from './infrastructure/incident-membership.entity';
import { IncidentMembershipChangeEntity } from './infrastructure/incident-membership-change.entity';
import { IncidentObservableEntity } from './infrastructure/incident-observable.entity';
import { IncidentRuleMatchEntity } from './infrastructure/incident-rule-match.entity';
import { IncidentTimelineEntryEntity } from './infrastructure/incident-timeline-entry.entity';
import { IncidentEntity } from './infrastructure/incident.entity';
import { SqlIncidentEventFeed } from './infrastructure/sql/sql-incident-event.feed';
import { SqlIncidentLookup } from './infrastructure/sql/sql-incident.lookup';
import { SqlIncidentWriter } from './infrastructure/sql/sql-incident.writer';

const entities = TypeOrmModule.forFeature([
  IncidentEntity,
  IncidentAlertEntity,
  IncidentObservableEntity,
  IncidentRuleMatchEntity,
  IncidentTimelineEntryEntity,
  IncidentCommentEntity,
  IncidentEventEntity,
  IncidentMembershipEntity,
  IncidentMembershipChangeEntity,
]);

const ports = [
  { provide: IncidentWriter, useClass: SqlIncidentWriter },
  { provide: IncidentLookup, useClass: SqlIncidentLookup },
  { provide: IncidentEventFeed, useClass: SqlIncidentEventFeed },
];

/**
 * Incidents without HTTP: the one writer of the incident tables, what correlation reads, the
 * event feed. Correlation (intake) imports this; the API imports {@link IncidentsModule}.
 */
@Module({
  // incident_alert references alert: its entity must be registered too.
  imports: [AlertsModule, entities],
  providers: [...ports, IncidentQueries, UpdateIncidentUseCase, AddIncidentCommentUseCase],
  exports: [
    IncidentWriter,
    IncidentLookup,
    IncidentEventFeed,
    IncidentQueries,
    UpdateIncidentUseCase,
    AddIncidentCommentUseCase,
  ],
})
export class IncidentsCoreModule {}

/** The incidents API on top of the core. */
@Module({
  imports: [IncidentsCoreModule],
  controllers: [IncidentsController],
  exports: [IncidentsCoreModule],
})
export class IncidentsModule {}
