import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { IncidentEntity } from './incident.entity';

/** One entry of an incident's timeline (status change, comment, merge...), row of `incident_timeline`. */
@Entity({ name: 'incident_timeline' })
@Index('ix_incident_timeline_incident_at', ['incidentId', 'at'])
export class IncidentTimelineEntryEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'incident_timeline_pkey' })
  id!: string;

  @Column({ name: 'incident_id', type: 'uuid' })
  incidentId!: string;

  // clock_timestamp(), not now(): entries written in one transaction keep their order.
  @Column({ name: 'at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  at!: Date;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'actor', type: 'text' })
  actor!: string;

  @Column({ name: 'message', type: 'text' })
  message!: string;

  @Column({ name: 'data', type: 'jsonb', default: {} })
  data!: Record<string, unknown>;

  @ManyToOne(() => IncidentEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'incident_timeline_incident_id_fkey' })
  incident?: IncidentEntity;
}
