import { Inject, Injectable } from '@nestjs/common';

import { type ContainmentOperation, parseNetworkTarget } from '@rampart/connectors';

import { type BlastRadiusLimit, isGuarded, type ProtectedAsset, protectingAsset } from '../domain/guardrails';
import { ContainmentActionStore } from './containment-action-store';
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
    private readonly actions: ContainmentActionStore,
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

  /**
   * What the guardrails would say of a sequence of actions for one incident, without recording
   * anything (a playbook's dry-run): the protected assets and the counts as they are now, with each
   * previewed action counted for the ones after it.
   */
  async preview(incidentId: string | null): Promise<(request: GuardrailRequest) => GuardrailVerdict> {
    const assets = await this.assets.list();
    const counts = new Map<BlastRadiusLimit, number>();
    for (const limit of this.limits) {
      const scoped = limit.scope === 'incident' ? incidentId : null;
      if (limit.scope === 'incident' && scoped === null) continue;
      counts.set(limit, await this.actions.countCounted(limit.operation, limit.windowMs, scoped));
    }
    return (request) => {
      const asset = isGuarded(request.operation)
        ? protectingAsset(assets, request, parseNetworkTarget)
        : undefined;
      if (asset) return { verdict: 'refuse', rule: `protected ${asset.kind} ${asset.value}` };
      for (const limit of this.limitsFor(request.operation)) {
        const count = counts.get(limit);
        if (count === undefined) continue;
        if (count >= limit.max) {
          return {
            verdict: 'approval_required',
            reason: `${count} ${request.operation} actions reach the limit of ${limit.max}`,
          };
        }
      }
      for (const limit of this.limitsFor(request.operation)) {
        const count = counts.get(limit);
        if (count !== undefined) counts.set(limit, count + 1);
      }
      return { verdict: 'allow' };
    };
  }
}

export interface GuardrailRequest {
  operation: ContainmentOperation;
  target: string;
  tags: readonly string[];
}

export type GuardrailVerdict =
  | { verdict: 'allow' }
  | { verdict: 'refuse'; rule: string }
  | { verdict: 'approval_required'; reason: string };
