import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

import { IncidentEntity } from './incident.entity';

/** An analyst's comment on an incident, row of `incident_comment`. */
@Entity({ name: 'incident_comment' })
@Index('ix_incident_comment_incident_created', ['incidentId', 'createdAt'])
export class IncidentCommentEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'incident_comment_pkey' })
  id!: string;

  @Column({ name: 'incident_id', type: 'uuid' })
  incidentId!: string;

  @Column({ name: 'author', type: 'text' })
  author!: string;

  @Column({ name: 'body', type: 'text' })
  body!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @ManyToOne(() => IncidentEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'incident_comment_incident_id_fkey' })
  incident?: IncidentEntity;
}
