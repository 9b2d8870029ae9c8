import { InitialIntakeSchema1764144000000 } from './1764144000000-initial-intake-schema';
import { ConnectorInstancesAndContainmentActions1764748800000 } from './1764748800000-connector-instances-and-containment-actions';
import { CollectForensicsOperation1764835200000 } from './1764835200000-collect-forensics-operation';
import { ViewerAndResponderRoles1764900000000 } from './1764900000000-viewer-and-responder-roles';
import { ContainmentActionLeases1764910000000 } from './1764910000000-containment-action-leases';
import { ContainmentGuardrails1764920000000 } from './1764920000000-containment-guardrails';
import { AlertTimeFallback1765000000000 } from './1765000000000-alert-time-fallback';
import { IntakeSourceKeys1765000100000 } from './1765000100000-intake-source-keys';
import { PlaybookRuns1764930000000 } from './1764930000000-playbook-runs';
import { AlertFidelity1765100000000 } from './1765100000000-alert-fidelity';
import { AuditTrail1765200000000 } from './1765200000000-audit-trail';
import { ReportsAndSchedules1765200000001 } from './1765200000001-reports-and-schedules';
import { UsersSessionsAndApiKeyLifecycle1765300000000 } from './1765300000000-users-sessions-and-api-key-lifecycle';
import { IncidentEventOutbox1765400000000 } from './1765400000000-incident-event-outbox';
import { IncidentIncrementalAggregates1765400000001 } from './1765400000001-incident-incremental-aggregates';
import { IncidentMembershipVersion1765400000002 } from './1765400000002-incident-membership-version';
import { IncidentMembershipChange1765800000000 } from './1765800000000-incident-membership-change';
import { IncidentEventFence1765900000000 } from './1765900000000-incident-event-fence';
import { CredentialsChangedNotifications1766000000000 } from './1766000000000-credentials-changed-notifications';
import { AlertEntityRowsFollowTheirAlert1766100000000 } from './1766100000000-alert-entity-rows-follow-their-alert';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [
  InitialIntakeSchema1764144000000,
  ConnectorInstancesAndContainmentActions1764748800000,
  CollectForensicsOperation1764835200000,
  ViewerAndResponderRoles1764900000000,
  ContainmentActionLeases1764910000000,
  ContainmentGuardrails1764920000000,
  AlertTimeFallback1765000000000,
  IntakeSourceKeys1765000100000,
  PlaybookRuns1764930000000,
  AlertFidelity1765100000000,
  AuditTrail1765200000000,
  ReportsAndSchedules1765200000001,
  UsersSessionsAndApiKeyLifecycle1765300000000,
  IncidentEventOutbox1765400000000,
  IncidentIncrementalAggregates1765400000001,
  IncidentMembershipVersion1765400000002,
  IncidentMembershipChange1765800000000,
  IncidentEventFence1765900000000,
  CredentialsChangedNotifications1766000000000,
  AlertEntityRowsFollowTheirAlert1766100000000,
];
