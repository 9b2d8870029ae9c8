import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { PlaybookRunEntity } from './playbook-run.entity';

/** An event waiting for (or delivered to) a run's state machine, row of `playbook_run_event`. */
@Entity({ name: 'playbook_run_event' })
@Index('ix_playbook_run_event_pending', ['runId', 'seq'], { where: 'processed_at IS NULL' })
export class PlaybookRunEventEntity {
  @PrimaryGeneratedColumn('increment', {
    name: 'seq',
    type: 'bigint',
    primaryKeyConstraintName: 'playbook_run_event_pkey',
  })
  seq!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @ManyToOne(() => PlaybookRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_playbook_run_event_run' })
  run?: PlaybookRunEntity;

  @Column({ name: 'event', type: 'jsonb' })
  event!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt!: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
