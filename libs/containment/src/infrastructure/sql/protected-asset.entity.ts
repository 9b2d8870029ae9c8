import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A protected asset, row of `protected_asset` (read and written with SQL by SqlProtectedAssetStore). */
@Entity({ name: 'protected_asset' })
@Unique('uq_protected_asset_kind_value', ['kind', 'value'])
@Check('protected_asset_kind_check', `kind IN ('cidr', 'host', 'user', 'tag')`)
@Check('protected_asset_source_check', `source IN ('api', 'file')`)
export class ProtectedAssetEntity {
  @PrimaryGeneratedColumn('uuid', { name: 'id', primaryKeyConstraintName: 'protected_asset_pkey' })
  id!: string;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'value', type: 'text' })
  value!: string;

  @Column({ name: 'operations', type: 'text', array: true, nullable: true })
  operations!: string[] | null;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'source', type: 'text', default: 'api' })
  source!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
