import { Inject, Injectable } from '@nestjs/common';

import { type ContainmentOperation, parseNetworkTarget } from '@rampart/connectors';

import { type BlastRadiusLimit, isGuarded, type ProtectedAsset, protectingAsset } from '../domain/guardrails';
import { ProtectedAssetStore } from './protected-asset-store';

export const BLAST_RADIUS_LIMITS = Symbol('BLAST_RADIUS_LIMITS');

/**
 * The guardrails every containment action meets, from the API and from playbooks alike: the
 * protected assets in force, and the blast-radius limits of GUARDRAIL_LIMITS.
 */
@Injectable()
export class Guardrails {
  constructor(
    private readonly assets: ProtectedAssetStore,
    @Inject(BLAST_RADIUS_LIMITS) private readonly limits: readonly BlastRadiusLimit[],
  ) {}

  /** The asset that forbids acting on `target`, or undefined. */
  async protecting(request: {
    operation: ContainmentOperation;
    target: string;
    tags: readonly string[];
  }): Promise<ProtectedAsset | undefined> {
    if (!isGuarded(request.operation)) return undefined;
    return protectingAsset(await this.assets.list(), request, parseNetworkTarget);
  }

  limitsFor(operation: ContainmentOperation): BlastRadiusLimit[] {
    return this.limits.filter((limit) => limit.operation === operation);
  }
}
