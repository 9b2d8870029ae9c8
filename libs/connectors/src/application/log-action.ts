import { Logger } from '@nestjs/common';

import { ContainmentAction } from '../domain/containment-action';

/** One line per action for operators; vendor errors are ours and hold no credential. */
export function logAction(logger: Logger, action: ContainmentAction): void {
  const result =
    action.state === 'succeeded'
      ? `succeeded (${action.outcome})`
      : `${action.state}${action.errorCode ? ` ${action.errorCode}: ${action.errorMessage}` : ''}`;
  const line = `${action.operation} ${action.target} on "${action.connectorName}" for ${action.requestedBy}: ${result} [${action.id}]`;
  if (action.state === 'succeeded') logger.log(line);
  else logger.warn(line);
}
