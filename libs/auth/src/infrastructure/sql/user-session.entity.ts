import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';

import { UserAccountEntity } from './user-account.entity';

/** One console session (only the hash of its secret is stored), row of `user_session`. */
@Entity({ name: 'user_session' })
@Unique('uq_user_session_secret_hash', ['secretHash'])
@Index('ix_user_session_user', ['userId'])
@Index('ix_user_session_expires', ['expiresAt'])
@Check('user_session_method_check', `method IN ('password', 'oidc')`)
export class UserSessionEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'user_session_pkey' })
  id!: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserAccountEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_session_user' })
  user?: UserAccountEntity;

  @Column({ name: 'method', type: 'text' })
  method!: 'password' | 'oidc';

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz', default: () => 'now()' })
  lastSeenAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'client_address', type: 'text', nullable: true })
  clientAddress!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;
}
