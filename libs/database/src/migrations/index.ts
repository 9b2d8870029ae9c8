import { InitialIntakeSchema1764144000000 } from './1764144000000-initial-intake-schema';
import { ConnectorInstancesAndContainmentActions1764748800000 } from './1764748800000-connector-instances-and-containment-actions';
import { CollectForensicsOperation1764835200000 } from './1764835200000-collect-forensics-operation';
import { ViewerAndResponderRoles1764900000000 } from './1764900000000-viewer-and-responder-roles';
import { ContainmentActionLeases1764910000000 } from './1764910000000-containment-action-leases';
import { ContainmentGuardrails1764920000000 } from './1764920000000-containment-guardrails';
import { IncidentEventOutbox1765400000000 } from './1765400000000-incident-event-outbox';
import { IncidentIncrementalAggregates1765400000001 } from './1765400000001-incident-incremental-aggregates';
import { IncidentMembershipVersion1765400000002 } from './1765400000002-incident-membership-version';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [
  InitialIntakeSchema1764144000000,
  ConnectorInstancesAndContainmentActions1764748800000,
  CollectForensicsOperation1764835200000,
  ViewerAndResponderRoles1764900000000,
  ContainmentActionLeases1764910000000,
  ContainmentGuardrails1764920000000,
  IncidentEventOutbox1765400000000,
  IncidentIncrementalAggregates1765400000001,
  IncidentMembershipVersion1765400000002,
];
