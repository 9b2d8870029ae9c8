import { Column, Entity, ForeignKey, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { IncidentEntity } from './incident.entity';

/** The link from an alert to the one incident it belongs to, row of `incident_alert`. */
@Entity({ name: 'incident_alert' })
@Index('ix_incident_alert_incident', ['incidentId'])
export class IncidentAlertEntity {
  // `alert` belongs to the alerts library, which does not export its ORM entities: the foreign key
  // names the table instead of a class, and there is no navigation property.
  @PrimaryColumn({ name: 'alert_id', type: 'uuid', primaryKeyConstraintName: 'incident_alert_pkey' })
  @ForeignKey('alert', { name: 'incident_alert_alert_id_fkey', onDelete: 'CASCADE' })
  alertId!: string;

  @Column({ name: 'incident_id', type: 'uuid' })
  incidentId!: string;

  @Column({ name: 'linked_at', type: 'timestamptz', default: () => 'now()' })
  linkedAt!: Date;

  @ManyToOne(() => IncidentEntity, { nullable: false })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'incident_alert_incident_id_fkey' })
  incident?: IncidentEntity;
}
