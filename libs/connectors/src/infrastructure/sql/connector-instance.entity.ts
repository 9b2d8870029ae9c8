import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

import type { Capability } from '../../domain/capability';
import type { ConnectorSource } from '../../domain/connector-instance';

/**
 * One connector instance, row of `connector_instance`; the schema is owned by the migrations and
 * read and written with SQL by SqlConnectorInstanceStore.
 */
@Entity({ name: 'connector_instance' })
@Unique('uq_connector_instance_name', ['name'])
@Check('connector_instance_capability_check', `capability IN ('firewall', 'edr', 'vpn', 'notify')`)
@Check('connector_instance_source_check', `source IN ('api', 'file')`)
export class ConnectorInstanceEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'connector_instance_pkey' })
  id!: string;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'type', type: 'text' })
  type!: string;

  @Column({ name: 'capability', type: 'text' })
  capability!: Capability;

  @Column({ name: 'base_url', type: 'text' })
  baseUrl!: string;

  /** ConnectorSecretBox envelope of the credentials JSON, bound to this row's id. */
  @Column({ name: 'credentials_sealed', type: 'text' })
  credentialsSealed!: string;

  @Column({ name: 'credential_fields', type: 'text', array: true, default: () => "'{}'" })
  credentialFields!: string[];

  @Column({ name: 'options', type: 'jsonb', default: {} })
  options!: Record<string, unknown>;

  @Column({ name: 'source', type: 'text', default: 'api' })
  source!: ConnectorSource;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
