import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { IncidentEntity } from './incident.entity';

/** One correlation rule match that contributed to an incident, row of `incident_rule_match`. */
@Entity({ name: 'incident_rule_match' })
export class IncidentRuleMatchEntity {
  @PrimaryColumn({ name: 'incident_id', type: 'uuid', primaryKeyConstraintName: 'pk_incident_rule_match' })
  incidentId!: string;

  @PrimaryColumn({ name: 'rule_id', type: 'text', primaryKeyConstraintName: 'pk_incident_rule_match' })
  ruleId!: string;

  @PrimaryColumn({ name: 'group_key', type: 'text', primaryKeyConstraintName: 'pk_incident_rule_match' })
  groupKey!: string;

  @Column({ name: 'rule_name', type: 'text' })
  ruleName!: string;

  @Column({ name: 'severity_id', type: 'smallint' })
  severityId!: number;

  @Column({ name: 'summary', type: 'text' })
  summary!: string;

  @Column({ name: 'alert_ids', type: 'uuid', array: true })
  alertIds!: string[];

  @Column({ name: 'first_time', type: 'timestamptz' })
  firstTime!: Date;

  @Column({ name: 'last_time', type: 'timestamptz' })
  lastTime!: Date;

  @Column({ name: 'matched_at', type: 'timestamptz', default: () => 'now()' })
  matchedAt!: Date;

  @ManyToOne(() => IncidentEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'incident_rule_match_incident_id_fkey' })
  incident?: IncidentEntity;
}
