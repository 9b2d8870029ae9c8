import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A webhook signature already seen, kept until it expires to reject replays (`webhook_replay_guard`). */
@Entity({ name: 'webhook_replay_guard' })
@Index('ix_webhook_replay_guard_expires', ['expiresAt'])
export class WebhookReplayGuardEntity {
  @PrimaryColumn({
    name: 'signature_hash',
    type: 'text',
    primaryKeyConstraintName: 'webhook_replay_guard_pkey',
  })
  signatureHash!: string;

  @Column({ name: 'source', type: 'text' })
  source!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
