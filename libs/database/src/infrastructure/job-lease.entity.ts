import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who holds a single-runner job and until when, row of `job_lease` (see SqlJobLease). */
@Entity({ name: 'job_lease' })
export class JobLeaseEntity {
  @PrimaryColumn({ name: 'name', type: 'text', primaryKeyConstraintName: 'job_lease_pkey' })
  name!: string;

  @Column({ name: 'holder', type: 'text' })
  holder!: string;

  @Column({ name: 'acquired_at', type: 'timestamptz', default: () => 'now()' })
  acquiredAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
