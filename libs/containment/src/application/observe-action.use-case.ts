import { Injectable } from '@nestjs/common';

import { AppConfig } from '@rampart/config';
import { ConnectorOperations, errorView, type VendorErrorView, type VendorState } from '@rampart/connectors';

import { ContainmentError, ContainmentErrorCode } from '../domain/containment-error';
import { ContainmentActionStore } from './containment-action-store';

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
 * sweeper and the reconciliation own that). Each action may be asked about at most once per
 * ACTION_VENDOR_STATE_INTERVAL, across every replica: a read-only role must not be able to hammer
 * a vendor's API (and its rate limits) through Rampart.
 */
@Injectable()
export class ObserveActionUseCase {
  constructor(
    private readonly actions: ContainmentActionStore,
    private readonly connectors: ConnectorOperations,
    private readonly config: AppConfig,
  ) {}

  async execute(actionId: string): Promise<ActionVendorState> {
    const action = await this.actions.findById(actionId);
    if (!action) {
      throw new ContainmentError(ContainmentErrorCode.ActionNotFound, `no action ${actionId}`, {
        field: 'id',
      });
    }
    const connector = action.connectorInstanceId
      ? await this.connectors.findById(action.connectorInstanceId)
      : null;
    if (!connector) {
      throw new ContainmentError(
        ContainmentErrorCode.ConnectorNotFound,
        `the action's connector "${action.connectorName}" no longer exists, so its vendor cannot be asked`,
        { field: 'id' },
      );
    }
    const interval = this.config.env.ACTION_VENDOR_STATE_INTERVAL;
    if (interval > 0 && !(await this.actions.stampVendorStateRead(action.id, interval))) {
      const seconds = Math.ceil(interval / 1000);
      throw new ContainmentError(
        ContainmentErrorCode.VendorStateRateLimited,
        `the vendor was asked about this action less than ${seconds} s ago; ask again later`,
        { field: 'id', retryAfterSeconds: seconds },
      );
    }
    const base = {
      actionId: action.id,
      connector: action.connectorName,
      operation: action.operation,
      target: action.target,
    };
    const answer = await this.connectors.observe(connector, action);
    if (!answer.ok)
      return { ...base, observed: 'unknown', error: errorView(answer.failure), checkedAt: new Date() };
    const { observation } = answer;
    return {
      ...base,
      observed: observation.state,
      ...(observation.vendorStatus !== undefined ? { vendorStatus: observation.vendorStatus } : {}),
      ...(observation.detail !== undefined ? { detail: observation.detail } : {}),
      checkedAt: new Date(),
    };
  }
}
