export { IncidentQueries } from './application/incident-queries';
export type { IncidentListFilter, IncidentSummary } from './application/incident-queries';
export { IncidentError, UpdateIncidentUseCase } from './application/update-incident.use-case';
export type { UpdateIncidentCommand } from './application/update-incident.use-case';
export {
  allowedTransitions,
  canTransition,
  INCIDENT_STATUSES,
  OPEN_STATUSES,
} from './domain/incident-status';
export type { IncidentStatus } from './domain/incident-status';
export { IncidentsModule } from './incidents.module';
export { updateIncidentBody } from './infrastructure/http/incidents.controller';
