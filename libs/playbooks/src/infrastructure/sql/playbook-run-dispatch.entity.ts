import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { PlaybookRunEntity } from './playbook-run.entity';

/** A containment action a run asked for, row of `playbook_run_dispatch` (the run's outbox). */
@Entity({ name: 'playbook_run_dispatch' })
@Check('playbook_run_dispatch_status_check', `status IN ('pending', 'done')`)
@Index('ix_playbook_run_dispatch_pending', ['runId', 'nextAttemptAt'], { where: `status = 'pending'` })
export class PlaybookRunDispatchEntity {
  @PrimaryColumn({
    name: 'idempotency_key',
    type: 'text',
    primaryKeyConstraintName: 'playbook_run_dispatch_pkey',
  })
  idempotencyKey!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @ManyToOne(() => PlaybookRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_playbook_run_dispatch_run' })
  run?: PlaybookRunEntity;

  @Column({ name: 'command', type: 'jsonb' })
  command!: unknown;

  @Column({ name: 'status', type: 'text', default: 'pending' })
  status!: string;

  @Column({ name: 'action_id', type: 'uuid', nullable: true })
  actionId!: string | null;

  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  nextAttemptAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt!: Date;

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt!: Date | null;
}
