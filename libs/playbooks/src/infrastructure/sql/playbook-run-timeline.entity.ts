import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { PlaybookRunEntity } from './playbook-run.entity';

/** A line of a run's timeline, row of `playbook_run_timeline`. */
@Entity({ name: 'playbook_run_timeline' })
@Index('ix_playbook_run_timeline_run', ['runId', 'id'])
export class PlaybookRunTimelineEntity {
  @PrimaryGeneratedColumn('increment', {
    name: 'id',
    type: 'bigint',
    primaryKeyConstraintName: 'playbook_run_timeline_pkey',
  })
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @ManyToOne(() => PlaybookRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_playbook_run_timeline_run' })
  run?: PlaybookRunEntity;

  @Column({ name: 'at', type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'step_id', type: 'text', nullable: true })
  stepId!: string | null;

  @Column({ name: 'instance', type: 'text', nullable: true })
  instance!: string | null;

  @Column({ name: 'status', type: 'text', nullable: true })
  status!: string | null;

  @Column({ name: 'message', type: 'text' })
  message!: string;
}
