import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One named webhook intake source and its HMAC secret (sealed with SecretBox), row of `intake_source`. */
@Entity({ name: 'intake_source' })
export class IntakeSourceEntity {
  @PrimaryColumn({ name: 'name', type: 'text', primaryKeyConstraintName: 'intake_source_pkey' })
  name!: string;

  @Column({ name: 'hmac_secret', type: 'text', nullable: true })
  hmacSecret!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
