import { Injectable } from '@nestjs/common';

import { type ContainmentOperation, parseNetworkTarget } from '@rampart/connectors';

import { ContainmentError, ContainmentErrorCode } from '../domain/containment-error';
import { canonicalAssetValue, type ProtectedAssetKind } from '../domain/guardrails';
import { ProtectedAssetStore, StoredProtectedAsset } from './protected-asset-store';

export interface AddProtectedAssetCommand {
  kind: ProtectedAssetKind;
  value: string;
  operations?: ContainmentOperation[];
  reason?: string;
  createdBy: string;
}

/** Protected assets managed through the API; those of PROTECTED_ASSETS_FILE are read-only here. */
@Injectable()
export class ProtectedAssetsUseCase {
  constructor(private readonly store: ProtectedAssetStore) {}

  list(): Promise<StoredProtectedAsset[]> {
    return this.store.list();
  }

  async add(command: AddProtectedAssetCommand): Promise<StoredProtectedAsset> {
    const canonical = canonicalAssetValue(command.kind, command.value, parseNetworkTarget);
    if (!canonical.ok) {
      throw new ContainmentError(
        ContainmentErrorCode.InvalidProtectedAsset,
        `value ${canonical.problem} for a ${command.kind}`,
        { field: 'value' },
      );
    }
    const added = await this.store.add({
      kind: command.kind,
      value: canonical.value,
      operations: command.operations ?? null,
      reason: command.reason ?? null,
      createdBy: command.createdBy,
    });
    if (!added) {
      throw new ContainmentError(
        ContainmentErrorCode.ProtectedAssetExists,
        `${command.kind} ${canonical.value} is already protected`,
        { field: 'value' },
      );
    }
    return added;
  }

  async remove(id: string): Promise<void> {
    const result = await this.store.remove(id);
    if (result === 'not_found') {
      throw new ContainmentError(ContainmentErrorCode.ProtectedAssetNotFound, `no protected asset ${id}`, {
        field: 'id',
      });
    }
    if (result === 'file') {
      throw new ContainmentError(
        ContainmentErrorCode.ProtectedAssetManagedByFile,
        'this asset is protected by PROTECTED_ASSETS_FILE: change the file',
        { field: 'id' },
      );
    }
  }
}
