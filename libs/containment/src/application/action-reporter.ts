import { Injectable, Logger } from '@nestjs/common';

import { Metrics } from '@rampart/metrics';

import { ContainmentAction } from '../domain/containment-action';

/**
 * Tells operators about an action record an execution, rollback, expiry or reconciliation wrote:
 * one log line, and `rampart_containment_actions_total`. Vendor errors are ours and hold no
 * credential.
 */
@Injectable()
export class ActionReporter {
  private readonly logger = new Logger('ContainmentActions');

  constructor(private readonly metrics: Metrics) {}

  written(action: ContainmentAction): void {
    const result = (action.state === 'succeeded' ? action.outcome : action.errorCode) ?? 'none';
    this.metrics.containmentActions.inc({ operation: action.operation, state: action.state, result });
    const text =
      action.state === 'succeeded'
        ? `succeeded (${action.outcome})`
        : `${action.state}${action.errorCode ? ` ${action.errorCode}: ${action.errorMessage}` : ''}`;
    const line = `${action.operation} ${action.target} on "${action.connectorName}" for ${action.requestedBy}: ${text} [${action.id}]`;
    if (action.state === 'succeeded') this.logger.log(line);
    else this.logger.warn(line);
  }
}
