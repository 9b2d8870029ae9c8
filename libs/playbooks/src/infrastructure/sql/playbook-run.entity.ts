import {
  Check,
  Column,
  Entity,
  ForeignKey,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
} from 'typeorm';

/** One playbook run, row of `playbook_run` (read and written with SQL by SqlRunRepository). */
@Entity({ name: 'playbook_run' })
@Unique('uq_playbook_run_subrun_key', ['subrunKey'])
@Unique('uq_playbook_run_trigger', ['playbookId', 'incidentId', 'triggerKey'])
@Check('playbook_run_status_check', `status IN ('running', 'succeeded', 'failed', 'cancelled')`)
@Index('ix_playbook_run_incident', ['incidentId', 'startedAt'])
@Index('ix_playbook_run_wakeup', ['nextWakeupAt'], { where: `status = 'running'` })
@Index('ix_playbook_run_started', ['startedAt', 'id'])
export class PlaybookRunEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid', primaryKeyConstraintName: 'playbook_run_pkey' })
  id!: string;

  @Column({ name: 'playbook_id', type: 'text' })
  playbookId!: string;

  @Column({ name: 'playbook_hash', type: 'text' })
  playbookHash!: string;

  @Column({ name: 'playbook_file', type: 'text' })
  playbookFile!: string;

  @Column({ name: 'playbook_source', type: 'text' })
  playbookSource!: string;

  // `incident` belongs to the incidents library, which does not export its ORM entities.
  @Column({ name: 'incident_id', type: 'uuid' })
  @ForeignKey('incident', { name: 'fk_playbook_run_incident' })
  incidentId!: string;

  @Column({ name: 'parent_run_id', type: 'uuid', nullable: true })
  parentRunId!: string | null;

  @ManyToOne(() => PlaybookRunEntity, { nullable: true })
  @JoinColumn({ name: 'parent_run_id', foreignKeyConstraintName: 'fk_playbook_run_parent' })
  parent?: PlaybookRunEntity | null;

  @Column({ name: 'subrun_key', type: 'text', nullable: true })
  subrunKey!: string | null;

  @Column({ name: 'trigger_key', type: 'text' })
  triggerKey!: string;

  @Column({ name: 'status', type: 'text', default: 'running' })
  status!: string;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'started_by', type: 'text' })
  startedBy!: string;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'next_wakeup_at', type: 'timestamptz', nullable: true })
  nextWakeupAt!: Date | null;

  @Column({ name: 'state', type: 'jsonb', nullable: true })
  state!: unknown;

  @Column({ name: 'lease_holder', type: 'text', nullable: true })
  leaseHolder!: string | null;

  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt!: Date | null;
}
