import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { PlaybookRunEntity } from './playbook-run.entity';

/** An approval a run waits for, row of `playbook_approval`. */
@Entity({ name: 'playbook_approval' })
@Check('playbook_approval_kind_check', `kind IN ('step', 'guardrail')`)
@Check('playbook_approval_on_timeout_check', `on_timeout IN ('approve', 'reject')`)
@Check('playbook_approval_status_check', `status IN ('pending', 'approved', 'rejected', 'withdrawn')`)
@Index('ix_playbook_approval_pending', ['requestedAt'], { where: `status = 'pending'` })
@Index('ix_playbook_approval_run', ['runId'])
export class PlaybookApprovalEntity {
  @PrimaryColumn({ name: 'id', type: 'text', primaryKeyConstraintName: 'playbook_approval_pkey' })
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @ManyToOne(() => PlaybookRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_playbook_approval_run' })
  run?: PlaybookRunEntity;

  @Column({ name: 'incident_id', type: 'uuid' })
  incidentId!: string;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'step_id', type: 'text' })
  stepId!: string;

  @Column({ name: 'instance', type: 'text' })
  instance!: string;

  @Column({ name: 'message', type: 'text' })
  message!: string;

  @Column({ name: 'approvers', type: 'jsonb' })
  approvers!: unknown;

  @Column({ name: 'action', type: 'jsonb', nullable: true })
  action!: unknown;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  requestedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'on_timeout', type: 'text' })
  onTimeout!: string;

  @Column({ name: 'status', type: 'text', default: 'pending' })
  status!: string;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_by_kind', type: 'text', nullable: true })
  decidedByKind!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;
}
