import { Injectable } from '@nestjs/common';

import { ContainmentError, ContainmentErrorCode } from '../domain/containment-error';
import { errorView, failureOf, VendorErrorView } from './action-failure';
import { ConnectorInstanceStore } from './connector-instance-store';
import { ConnectorResolver } from './connector-resolver';
import { ContainmentActionStore } from './containment-action-store';
import { readVendorState, VendorState } from './operation-dispatch';

export interface ActionVendorState {
  actionId: string;
  connector: string;
  operation: string;
  target: string;
  /** See VendorState; `unknown` also when the vendor could not be asked (`error` says why). */
  observed: VendorState;
  vendorStatus?: string;
  detail?: string;
  error?: VendorErrorView;
  checkedAt: Date;
}

/**
 * Asks the vendor, now, whether an action's change is in place: is the IP still blocked, the host
 * still contained, the forensic package collected? Read-only; the record is not changed (the
 * sweeper and the reconciliation own that).
 */
@Injectable()
export class ObserveActionUseCase {
  constructor(
    private readonly actions: ContainmentActionStore,
    private readonly instances: ConnectorInstanceStore,
    private readonly resolver: ConnectorResolver,
  ) {}

  async execute(actionId: string): Promise<ActionVendorState> {
    const action = await this.actions.findById(actionId);
    if (!action) {
      throw new ContainmentError(ContainmentErrorCode.ActionNotFound, `no action ${actionId}`, {
        field: 'id',
      });
    }
    const instance = action.connectorInstanceId
      ? await this.instances.findById(action.connectorInstanceId)
      : null;
    if (!instance) {
      throw new ContainmentError(
        ContainmentErrorCode.ConnectorNotFound,
        `the action's connector "${action.connectorName}" no longer exists, so its vendor cannot be asked`,
        { field: 'id' },
      );
    }
    const base = {
      actionId: action.id,
      connector: action.connectorName,
      operation: action.operation,
      target: action.target,
    };
    try {
      const observation = await readVendorState(this.resolver.connectorFor(instance), action);
      return { ...base, observed: observation.state, ...optional(observation), checkedAt: new Date() };
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) throw error;
      return { ...base, observed: 'unknown', error: errorView(failure), checkedAt: new Date() };
    }
  }
}

function optional(observation: { vendorStatus?: string; detail?: string }) {
  return {
    ...(observation.vendorStatus !== undefined ? { vendorStatus: observation.vendorStatus } : {}),
    ...(observation.detail !== undefined ? { detail: observation.detail } : {}),
  };
}
