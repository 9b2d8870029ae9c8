import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { IncidentEntity } from './incident.entity';

/** One change of an incident in the outbox, row of `incident_event` (see IncidentEventFeed). */
@Entity({ name: 'incident_event' })
@Check(
  'incident_event_kind_check',
  `kind IN ('created', 'updated', 'merged', 'status_changed', 'severity_changed', 'assignee_changed', 'rule_matched', 'commented')`,
)
@Index('ix_incident_event_incident', ['incidentId'])
export class IncidentEventEntity {
  @PrimaryGeneratedColumn('identity', {
    name: 'seq',
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_incident_event',
  })
  seq!: string;

  @Column({ name: 'incident_id', type: 'uuid' })
  incidentId!: string;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'payload', type: 'jsonb', default: {} })
  payload!: Record<string, unknown>;

  @Column({ name: 'actor', type: 'text' })
  actor!: string;

  @Column({ name: 'at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  at!: Date;

  @ManyToOne(() => IncidentEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'incident_event_incident_id_fkey' })
  incident?: IncidentEntity;
}
