import {
  Check,
  Column,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

import type { SeverityId } from '@rampart/alerts';

import type { IncidentStatus } from '../domain/incident-status';

/** One incident, row of `incident`; the schema itself is owned by the migrations. */
@Entity({ name: 'incident' })
@Unique('uq_incident_number', ['number'])
@Check(
  'incident_status_check',
  `status IN ('new', 'acknowledged', 'contained', 'resolved', 'closed', 'merged')`,
)
@Check('incident_severity_id_check', 'severity_id BETWEEN 0 AND 5')
// The migration builds this one as (status, number DESC); TypeORM cannot express key order, so it is
// described by name and columns only.
@Index('ix_incident_status_number', ['status', 'number'])
@Index('ix_incident_created', ['createdAt'])
@Index('ix_incident_last_seen', ['lastSeen'])
export class IncidentEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'incident_pkey' })
  id!: string;

  // Defaults to nextval('incident_number_seq'), which TypeORM reads as its own increment sequence
  // for this column. pg returns bigint as a string.
  @Column({ name: 'number', type: 'bigint' })
  @Generated('increment')
  number!: string;

  @Column({ name: 'title', type: 'text' })
  title!: string;

  @Column({ name: 'status', type: 'text', default: 'new' })
  status!: IncidentStatus;

  @Column({ name: 'severity_id', type: 'smallint' })
  severityId!: SeverityId;

  /** The worst severity of its alerts, kept as alerts join. */
  @Column({ name: 'max_alert_severity_id', type: 'smallint', default: 1 })
  maxAlertSeverityId!: number;

  @Column({ name: 'assignee', type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ name: 'alert_count', type: 'integer', default: 0 })
  alertCount!: number;

  @Column({ name: 'first_seen', type: 'timestamptz' })
  firstSeen!: Date;

  @Column({ name: 'last_seen', type: 'timestamptz' })
  lastSeen!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'contained_at', type: 'timestamptz', nullable: true })
  containedAt!: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId!: string | null;

  @ManyToOne(() => IncidentEntity, { nullable: true })
  @JoinColumn({ name: 'merged_into_id', foreignKeyConstraintName: 'incident_merged_into_id_fkey' })
  mergedInto?: IncidentEntity | null;
}
