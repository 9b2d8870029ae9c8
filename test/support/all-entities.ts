// The schema-agreement test needs every entity class, which the libraries deliberately do not
// export (modules export use cases, never ORM entities); this file is the one place that reaches in.
/* eslint-disable no-restricted-imports */
import { AlertObservableEntity } from '../../libs/alerts/src/infrastructure/alert-observable.entity';
import { AlertRecordEntity } from '../../libs/alerts/src/infrastructure/alert.entity';
import { ApiKeyEntity } from '../../libs/auth/src/infrastructure/sql/api-key.entity';
import { LoginThrottleEntity } from '../../libs/auth/src/infrastructure/sql/login-throttle.entity';
import { UserAccountEntity } from '../../libs/auth/src/infrastructure/sql/user-account.entity';
import { UserSessionEntity } from '../../libs/auth/src/infrastructure/sql/user-session.entity';
import { ConnectorInstanceEntity } from '../../libs/connectors/src/infrastructure/sql/connector-instance.entity';
import { ContainmentActionEntity } from '../../libs/containment/src/infrastructure/sql/containment-action.entity';
import { ProtectedAssetEntity } from '../../libs/containment/src/infrastructure/sql/protected-asset.entity';
import { JobLeaseEntity } from '../../libs/database/src/infrastructure/job-lease.entity';
import { IncidentAlertEntity } from '../../libs/incidents/src/infrastructure/incident-alert.entity';
import { IncidentCommentEntity } from '../../libs/incidents/src/infrastructure/incident-comment.entity';
import { IncidentEventEntity } from '../../libs/incidents/src/infrastructure/incident-event.entity';
import { IncidentMembershipEntity } from '../../libs/incidents/src/infrastructure/incident-membership.entity';
import { IncidentObservableEntity } from '../../libs/incidents/src/infrastructure/incident-observable.entity';
import { IncidentRuleMatchEntity } from '../../libs/incidents/src/infrastructure/incident-rule-match.entity';
import { IncidentTimelineEntryEntity } from '../../libs/incidents/src/infrastructure/incident-timeline-entry.entity';
import { IncidentEntity } from '../../libs/incidents/src/infrastructure/incident.entity';
import { IntakeSourceKeyEntity } from '../../libs/intake/src/infrastructure/intake-source-key.entity';
import { IntakeSourceEntity } from '../../libs/intake/src/infrastructure/intake-source.entity';
import { WebhookReplayGuardEntity } from '../../libs/intake/src/infrastructure/webhook-replay-guard.entity';
import { EngineCursorEntity } from '../../libs/playbooks/src/infrastructure/sql/engine-cursor.entity';
import { PlaybookApprovalEntity } from '../../libs/playbooks/src/infrastructure/sql/playbook-approval.entity';
import { PlaybookRunDispatchEntity } from '../../libs/playbooks/src/infrastructure/sql/playbook-run-dispatch.entity';
import { PlaybookRunEventEntity } from '../../libs/playbooks/src/infrastructure/sql/playbook-run-event.entity';
import { PlaybookRunTimelineEntity } from '../../libs/playbooks/src/infrastructure/sql/playbook-run-timeline.entity';
import { PlaybookRunEntity } from '../../libs/playbooks/src/infrastructure/sql/playbook-run.entity';
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
  IncidentCommentEntity,
  IncidentEventEntity,
  IncidentMembershipEntity,
  ApiKeyEntity,
  UserAccountEntity,
  UserSessionEntity,
  LoginThrottleEntity,
  IntakeSourceEntity,
  IntakeSourceKeyEntity,
  WebhookReplayGuardEntity,
  ConnectorInstanceEntity,
  ContainmentActionEntity,
  ProtectedAssetEntity,
  JobLeaseEntity,
  PlaybookRunEntity,
  PlaybookRunEventEntity,
  PlaybookRunDispatchEntity,
  PlaybookApprovalEntity,
  PlaybookRunTimelineEntity,
  EngineCursorEntity,
];
