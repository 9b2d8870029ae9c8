import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { IntakeSourceEntity } from './intake-source.entity';

/** An API key bound to an intake source, row of `intake_source_key` (see IntakeSourceService). */
@Entity({ name: 'intake_source_key' })
@Index('ix_intake_source_key_source', ['sourceName'])
export class IntakeSourceKeyEntity {
  @PrimaryColumn({ name: 'api_key_id', type: 'uuid', primaryKeyConstraintName: 'pk_intake_source_key' })
  apiKeyId!: string;

  @Column({ name: 'source_name', type: 'text' })
  sourceName!: string;

  @ManyToOne(() => IntakeSourceEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({
    name: 'source_name',
    referencedColumnName: 'name',
    foreignKeyConstraintName: 'fk_intake_source_key_source',
  })
  source?: IntakeSourceEntity;
}
