import type { ContainmentOperation } from '@rampart/connectors';

import type { ProtectedAsset, ProtectedAssetKind } from '../domain/guardrails';

export interface NewProtectedAsset {
  kind: ProtectedAssetKind;
  /** Canonical (see canonicalAssetValue). */
  value: string;
  operations: ContainmentOperation[] | null;
  reason: string | null;
  createdBy: string;
}

export interface StoredProtectedAsset extends ProtectedAsset {
  createdBy: string;
  createdAt: Date;
}

/** Persistence of protected assets: the API's (`api`) and the configuration file's (`file`). */
export abstract class ProtectedAssetStore {
  abstract list(): Promise<StoredProtectedAsset[]>;
  /** null when the same kind and value is already protected. */
  abstract add(asset: NewProtectedAsset): Promise<StoredProtectedAsset | null>;
  /** `file`: the asset comes from PROTECTED_ASSETS_FILE and is changed there, not here. */
  abstract remove(id: string): Promise<'deleted' | 'not_found' | 'file'>;
  /** Makes the file's assets exactly `assets` (added, updated, the ones gone removed). */
  abstract replaceFileAssets(assets: NewProtectedAsset[]): Promise<void>;
}
