import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a consumer of the incident event feed stands, row of `engine_cursor`. */
@Entity({ name: 'engine_cursor' })
export class EngineCursorEntity {
  @PrimaryColumn({ name: 'name', type: 'text', primaryKeyConstraintName: 'engine_cursor_pkey' })
  name!: string;

  @Column({ name: 'cursor', type: 'text', nullable: true })
  cursor!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
