import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One change of open-incident membership, row of `incident_membership_change`: what a
 * correlation batch added and merged, or (`everything`) that membership changed otherwise.
 */
@Entity({ name: 'incident_membership_change' })
export class IncidentMembershipChangeEntity {
  @PrimaryColumn({
    name: 'version',
    type: 'bigint',
    primaryKeyConstraintName: 'incident_membership_change_pkey',
  })
  version!: string;

  @Column({ name: 'alert_ids', type: 'uuid', array: true })
  alertIds!: string[];

  @Column({ name: 'merges', type: 'jsonb' })
  merges!: [string, string][];

  @Column({ name: 'everything', type: 'boolean', default: false })
  everything!: boolean;

  @Column({ name: 'changed_at', type: 'timestamptz', default: () => 'now()' })
  changedAt!: Date;
}
