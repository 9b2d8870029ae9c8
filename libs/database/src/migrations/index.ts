import { InitialIntakeSchema1764144000000 } from './1764144000000-initial-intake-schema';
import { ConnectorInstancesAndContainmentActions1764748800000 } from './1764748800000-connector-instances-and-containment-actions';
import { CollectForensicsOperation1764835200000 } from './1764835200000-collect-forensics-operation';
import { ViewerAndResponderRoles1764900000000 } from './1764900000000-viewer-and-responder-roles';
import { ContainmentActionLeases1764910000000 } from './1764910000000-containment-action-leases';
import { ContainmentGuardrails1764920000000 } from './1764920000000-containment-guardrails';
import { AlertTimeFallback1765000000000 } from './1765000000000-alert-time-fallback';
import { IntakeSourceKeys1765000100000 } from './1765000100000-intake-source-keys';

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
];
