import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One observable (host, ip, user...) of an alert, row of `alert_entity`, keyed for correlation look-ups.
 * Written with its alert by one statement; triggers remove it with its alert (no foreign key: see
 * migration 1766100000000).
 */
@Entity({ name: 'alert_entity' })
@Index('ix_alert_entity_key_time', ['entityKey', 'eventTime'])
export class AlertObservableEntity {
  @PrimaryColumn({ name: 'alert_id', type: 'uuid', primaryKeyConstraintName: 'pk_alert_entity' })
  alertId!: string;

  @PrimaryColumn({ name: 'entity_key', type: 'text', primaryKeyConstraintName: 'pk_alert_entity' })
  entityKey!: string;

  @Column({ name: 'type', type: 'text' })
  type!: string;

  @Column({ name: 'value', type: 'text' })
  value!: string;

  @PrimaryColumn({ name: 'role', type: 'text', primaryKeyConstraintName: 'pk_alert_entity' })
  role!: string;

  @Column({ name: 'event_time', type: 'timestamptz' })
  eventTime!: Date;
}
