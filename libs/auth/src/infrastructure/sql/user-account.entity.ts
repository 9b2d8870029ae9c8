import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

import type { UserRole } from '../../domain/principal';

/** One console user, row of `user_account` (`user` is a reserved word in PostgreSQL). */
@Entity({ name: 'user_account' })
@Unique('uq_user_account_username', ['username'])
@Unique('uq_user_account_oidc_identity', ['oidcIssuer', 'oidcSubject'])
@Check('user_account_role_check', `role IN ('viewer', 'analyst', 'responder', 'auditor', 'admin')`)
@Check('user_account_username_check', `username = lower(username) AND length(username) BETWEEN 1 AND 128`)
@Check(
  'user_account_auth_source_check',
  `(auth_source = 'local' AND password_hash IS NOT NULL AND oidc_subject IS NULL)
    OR (auth_source = 'oidc' AND password_hash IS NULL)`,
)
export class UserAccountEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'user_account_pkey' })
  id!: string;

  @Column({ name: 'username', type: 'text' })
  username!: string;

  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName!: string | null;

  @Column({ name: 'role', type: 'text' })
  role!: UserRole;

  @Column({ name: 'auth_source', type: 'text', default: 'local' })
  authSource!: 'local' | 'oidc';

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'oidc_issuer', type: 'text', nullable: true })
  oidcIssuer!: string | null;

  @Column({ name: 'oidc_subject', type: 'text', nullable: true })
  oidcSubject!: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;
}
