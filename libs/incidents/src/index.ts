export { AddIncidentCommentUseCase } from './application/add-incident-comment.use-case';
export type { AddIncidentCommentCommand } from './application/add-incident-comment.use-case';
export { IncidentEventFeed } from './application/incident-event-feed';
export type { IncidentEventPage } from './application/incident-event-feed';
export { IncidentLookup } from './application/incident-lookup';
export type { MembershipChange, OpenIncidentAlert, RelationProbe } from './application/incident-lookup';
export { IncidentQueries } from './application/incident-queries';
export type { IncidentListFilter, IncidentSummary, RunContextIncident } from './application/incident-queries';
export { IncidentWriter } from './application/incident-writer';
export type {
  AlertAddition,
  IncidentActivity,
  IncidentChange,
  IncidentComment,
  IncidentMerge,
  NewIncident,
  RuleMatchRecord,
} from './application/incident-writer';
export { IncidentError, UpdateIncidentUseCase } from './application/update-incident.use-case';
export type { IncidentAdvance, UpdateIncidentCommand } from './application/update-incident.use-case';
export { INCIDENT_EVENT_KINDS } from './domain/incident-event';
export type { IncidentEvent, IncidentEventKind } from './domain/incident-event';
export { computeIncidentSeverity, ESCALATION } from './domain/incident-severity';
export {
  allowedTransitions,
  canTransition,
  INCIDENT_STATUSES,
  OPEN_STATUSES,
} from './domain/incident-status';
export type { IncidentStatus } from './domain/incident-status';
export { IncidentsCoreModule, IncidentsModule } from './incidents.module';
export { updateIncidentBody } from './infrastructure/http/incidents.controller';
export { parseIncidentSearch } from './domain/incident-search';
export type { IncidentSearch } from './domain/incident-search';
