import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

import type { AlertIntake } from '../application/alert-store';
import type { TimeFallback } from '../domain/normalize-result';
import type {
  AlertEntity as ObservedEntity,
  AttackTactic,
  AttackTechnique,
  LabelledField,
  SeverityId,
} from '../domain/normalized-alert';

/** One normalized alert as stored in `alert`; the schema itself is owned by the migrations. */
@Entity({ name: 'alert' })
@Unique('uq_alert_identity', ['identity'])
@Index('ix_alert_event_time', ['eventTime'])
@Check('alert_severity_id_check', 'severity_id BETWEEN 0 AND 5')
@Check('alert_intake_check', `intake IN ('kafka', 'webhook')`)
@Check('alert_time_fallback_check', `time_fallback IN ('missing', 'unreadable', 'implausible')`)
export class AlertRecordEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'alert_pkey' })
  id!: string;

  @Column({ name: 'identity', type: 'text' })
  identity!: string;

  @Column({ name: 'format', type: 'text' })
  format!: string;

  @Column({ name: 'source', type: 'text' })
  source!: string;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId!: string | null;

  @Column({ name: 'title', type: 'text' })
  title!: string;

  @Column({ name: 'description', type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'threat_name', type: 'text', nullable: true })
  threatName!: string | null;

  @Column({ name: 'custom_fields', type: 'jsonb', default: [] })
  customFields!: LabelledField[];

  /** The alert's own bytes as received (its line, array element or Kafka record), as text. */
  @Column({ name: 'original', type: 'text', nullable: true })
  original!: string | null;

  @Column({ name: 'severity_id', type: 'smallint' })
  severityId!: SeverityId;

  @Column({ name: 'vendor_severity', type: 'text', nullable: true })
  vendorSeverity!: string | null;

  @Column({ name: 'rule_id', type: 'text', nullable: true })
  ruleId!: string | null;

  @Column({ name: 'rule_name', type: 'text', nullable: true })
  ruleName!: string | null;

  @Column({ name: 'tactics', type: 'jsonb', default: [] })
  tactics!: AttackTactic[];

  @Column({ name: 'techniques', type: 'jsonb', default: [] })
  techniques!: AttackTechnique[];

  @Column({ name: 'entities', type: 'jsonb', default: [] })
  entities!: ObservedEntity[];

  @Column({ name: 'raw', type: 'jsonb' })
  raw!: unknown;

  @Column({ name: 'event_time', type: 'timestamptz' })
  eventTime!: Date;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ name: 'intake', type: 'text' })
  intake!: AlertIntake;

  /** The intake source (webhook sender) it came from, when the delivery had one. */
  @Column({ name: 'intake_source', type: 'text', nullable: true })
  intakeSource!: string | null;

  @Column({ name: 'time_fallback', type: 'text', nullable: true })
  timeFallback!: TimeFallback | null;
}
