import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { IncidentEntity } from './incident.entity';

/** One observable (host, ip, user...) of an incident with its counts, row of `incident_entity`. */
@Entity({ name: 'incident_entity' })
@Index('ix_incident_entity_key', ['entityKey'])
export class IncidentObservableEntity {
  @PrimaryColumn({ name: 'incident_id', type: 'uuid', primaryKeyConstraintName: 'pk_incident_entity' })
  incidentId!: string;

  @PrimaryColumn({ name: 'entity_key', type: 'text', primaryKeyConstraintName: 'pk_incident_entity' })
  entityKey!: string;

  @Column({ name: 'type', type: 'text' })
  type!: string;

  @Column({ name: 'value', type: 'text' })
  value!: string;

  @Column({ name: 'alert_count', type: 'integer' })
  alertCount!: number;

  @Column({ name: 'first_seen', type: 'timestamptz' })
  firstSeen!: Date;

  @Column({ name: 'last_seen', type: 'timestamptz' })
  lastSeen!: Date;

  @ManyToOne(() => IncidentEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'incident_entity_incident_id_fkey' })
  incident?: IncidentEntity;
}
