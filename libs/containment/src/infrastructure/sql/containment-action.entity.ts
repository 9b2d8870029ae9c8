import {
  Check,
  Column,
  Entity,
  ForeignKey,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

import type { Capability, ContainmentOperation } from '@rampart/connectors';

import type { ActionState } from '../../domain/containment-action';

/**
 * One containment action (or the undo of one), row of `containment_action`; the schema is owned by
 * the migrations and read and written with SQL by SqlContainmentActionStore.
 */
@Entity({ name: 'containment_action' })
@Unique('uq_containment_action_idempotency_key', ['idempotencyKey'])
@Check('containment_action_capability_check', `capability IN ('firewall', 'edr', 'vpn', 'notify')`)
@Check(
  'containment_action_operation_check',
  `operation IN ('block_ip', 'unblock_ip', 'isolate_host', 'release_host',
  'disconnect_sessions', 'quarantine_user', 'release_user', 'notify', 'collect_forensics')`,
)
@Check(
  'containment_action_state_check',
  `state IN ('pending', 'succeeded', 'failed', 'rolled_back', 'rollback_failed', 'expired', 'refused', 'joined')`,
)
@Check('containment_action_outcome_check', `outcome IN ('changed', 'already_in_state')`)
// The migration orders these (requested_at DESC, id DESC) for newest-first paging and makes the
// last four partial; TypeORM compares them by name and columns.
@Index('ix_containment_action_requested', ['requestedAt', 'id'])
@Index('ix_containment_action_connector', ['connectorName', 'requestedAt', 'id'])
@Index('ix_containment_action_incident', ['incidentId'], { where: 'incident_id IS NOT NULL' })
@Index('ix_containment_action_rollback_of', ['rollbackOf'], { where: 'rollback_of IS NOT NULL' })
@Index('ix_containment_action_due', ['expiresAt'], {
  where: `state = 'succeeded' AND expires_at IS NOT NULL`,
})
@Index('ix_containment_action_pending', ['leaseExpiresAt'], { where: `state = 'pending'` })
@Index('ix_containment_action_target', ['connectorInstanceId', 'operation', 'target'], {
  where: `rollback_of IS NULL AND state IN ('pending', 'succeeded')`,
})
@Index('ix_containment_action_operation_time', ['operation', 'requestedAt'])
export class ContainmentActionEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'containment_action_pkey' })
  id!: string;

  // `connector_instance` belongs to the connectors library, which does not export its ORM entities.
  @Column({ name: 'connector_instance_id', type: 'uuid', nullable: true })
  @ForeignKey('connector_instance', {
    name: 'fk_containment_action_connector_instance',
    onDelete: 'SET NULL',
  })
  connectorInstanceId!: string | null;

  @Column({ name: 'connector_name', type: 'text' })
  connectorName!: string;

  @Column({ name: 'capability', type: 'text' })
  capability!: Capability;

  @Column({ name: 'operation', type: 'text' })
  operation!: ContainmentOperation;

  @Column({ name: 'target', type: 'text' })
  target!: string;

  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  // `incident` belongs to the incidents library, which does not export its ORM entities.
  @Column({ name: 'incident_id', type: 'uuid', nullable: true })
  @ForeignKey('incident', { name: 'fk_containment_action_incident' })
  incidentId!: string | null;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy!: string;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  requestedAt!: Date;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'state', type: 'text', default: 'pending' })
  state!: ActionState;

  @Column({ name: 'outcome', type: 'text', nullable: true })
  outcome!: 'changed' | 'already_in_state' | null;

  @Column({ name: 'vendor_ref', type: 'text', nullable: true })
  vendorRef!: string | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'rolled_back_at', type: 'timestamptz', nullable: true })
  rolledBackAt!: Date | null;

  @Column({ name: 'rollback_of', type: 'uuid', nullable: true })
  rollbackOf!: string | null;

  @Column({ name: 'details', type: 'jsonb', default: {} })
  details!: Record<string, unknown>;

  @Column({ name: 'lease_holder', type: 'text', nullable: true })
  leaseHolder!: string | null;

  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt!: Date | null;

  @Column({ name: 'expires_in_seconds', type: 'integer', nullable: true })
  expiresInSeconds!: number | null;

  @Column({ name: 'vendor_state_read_at', type: 'timestamptz', nullable: true })
  vendorStateReadAt!: Date | null;

  @Column({ name: 'joined_action_id', type: 'uuid', nullable: true })
  joinedActionId!: string | null;

  @ManyToOne(() => ContainmentActionEntity, { nullable: true })
  @JoinColumn({ name: 'joined_action_id', foreignKeyConstraintName: 'fk_containment_action_joined_action' })
  joins?: ContainmentActionEntity | null;

  @ManyToOne(() => ContainmentActionEntity, { nullable: true })
  @JoinColumn({ name: 'rollback_of', foreignKeyConstraintName: 'fk_containment_action_rollback_of' })
  undoes?: ContainmentActionEntity | null;
}
