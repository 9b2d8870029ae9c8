// The schema-agreement test needs every entity class, which the libraries deliberately do not
// export (modules export use cases, never ORM entities); this file is the one place that reaches in.
/* eslint-disable no-restricted-imports */
import { AlertObservableEntity } from '../../libs/alerts/src/infrastructure/alert-observable.entity';
import { AlertRecordEntity } from '../../libs/alerts/src/infrastructure/alert.entity';
import { ApiKeyEntity } from '../../libs/auth/src/infrastructure/api-key.entity';
import { ConnectorInstanceEntity } from '../../libs/connectors/src/infrastructure/sql/connector-instance.entity';
import { ContainmentActionEntity } from '../../libs/containment/src/infrastructure/sql/containment-action.entity';
import { ProtectedAssetEntity } from '../../libs/containment/src/infrastructure/sql/protected-asset.entity';
import { JobLeaseEntity } from '../../libs/database/src/infrastructure/job-lease.entity';
import { IncidentAlertEntity } from '../../libs/incidents/src/infrastructure/incident-alert.entity';
import { IncidentObservableEntity } from '../../libs/incidents/src/infrastructure/incident-observable.entity';
import { IncidentRuleMatchEntity } from '../../libs/incidents/src/infrastructure/incident-rule-match.entity';
import { IncidentTimelineEntryEntity } from '../../libs/incidents/src/infrastructure/incident-timeline-entry.entity';
import { IncidentEntity } from '../../libs/incidents/src/infrastructure/incident.entity';
import { IntakeSourceKeyEntity } from '../../libs/intake/src/infrastructure/intake-source-key.entity';
import { IntakeSourceEntity } from '../../libs/intake/src/infrastructure/intake-source.entity';
import { WebhookReplayGuardEntity } from '../../libs/intake/src/infrastructure/webhook-replay-guard.entity';
/* eslint-enable no-restricted-imports */

/** Every TypeORM entity the feature modules register with `TypeOrmModule.forFeature`. */
export const ALL_ENTITIES = [
  AlertRecordEntity,
  AlertObservableEntity,
  IncidentEntity,
  IncidentAlertEntity,
  IncidentObservableEntity,
  IncidentRuleMatchEntity,
  IncidentTimelineEntryEntity,
  ApiKeyEntity,
  IntakeSourceEntity,
  IntakeSourceKeyEntity,
  WebhookReplayGuardEntity,
  ConnectorInstanceEntity,
  ContainmentActionEntity,
  ProtectedAssetEntity,
  JobLeaseEntity,
];
