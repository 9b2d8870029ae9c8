import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The one row counting changes of open-incident membership, row of `incident_membership`. */
@Entity({ name: 'incident_membership' })
@Check('incident_membership_id_check', 'id = 1')
export class IncidentMembershipEntity {
  @PrimaryColumn({ name: 'id', type: 'smallint', primaryKeyConstraintName: 'incident_membership_pkey' })
  id!: number;

  @Column({ name: 'version', type: 'bigint' })
  version!: string;
}
