import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

import type { Role } from '../../domain/principal';

/** One API key (only its hash is stored), row of `api_key`. */
@Entity({ name: 'api_key' })
@Unique('uq_api_key_secret_hash', ['secretHash'])
@Check('api_key_role_check', `role IN ('viewer', 'analyst', 'responder', 'auditor', 'admin', 'ingest')`)
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'api_key_pkey' })
  id!: string;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'prefix', type: 'text' })
  prefix!: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ name: 'role', type: 'text' })
  role!: Role;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;
}
