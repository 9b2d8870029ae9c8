import type { ContainmentAction } from '@rampart/containment';
import { ContainmentError, ContainmentErrorCode } from '@rampart/containment';

import type { ActionResult } from '../../domain';

/** Failures a retry cannot mend, whatever the connector said of them. */
const FINAL_FAILURES = new Set([
  'outcome_unknown',
  'connector_not_found',
  'internal_error',
  'invalid_request',
]);

/**
 * A containment record as the state machine reads it; `pending` when the vendor call's outcome is
 * not known yet (a timeout, or a crash: the reconciliation will settle it, never a second call).
 */
export function actionResultOf(action: ContainmentAction): ActionResult | 'pending' {
  const output = {
    actionId: action.id,
    state: action.state,
    outcome: action.outcome,
    vendorRef: action.vendorRef,
    joinedActionId: action.joinedActionId,
    expiresAt: action.expiresAt === null ? null : new Date(action.expiresAt).toISOString(),
  };
  switch (action.state) {
    case 'pending':
      return 'pending';
    case 'failed':
      return {
        status: 'failed',
        code: action.errorCode ?? 'failed',
        message: action.errorMessage ?? 'the vendor call failed',
        retryable: action.details.retryable !== false && !FINAL_FAILURES.has(action.errorCode ?? ''),
      };
    case 'refused': {
      const rule = action.details.rule as { kind?: string; value?: string } | undefined;
      return {
        status: 'refused',
        rule: rule ? `protected ${rule.kind} ${rule.value}` : 'protected asset',
        message: action.errorMessage ?? 'a guardrail refused the action',
      };
    }
    default:
      // succeeded, joined (the same change was already in force), or done and undone since.
      return { status: 'succeeded', output };
  }
}

/** A refusal before anything was recorded, as the state machine reads it; undefined for a bug. */
export function actionResultOfError(error: unknown): ActionResult | undefined {
  if (!(error instanceof ContainmentError)) return undefined;
  if (error.code === ContainmentErrorCode.BlastRadiusExceeded) {
    return { status: 'approval_required', reason: error.message };
  }
  return { status: 'failed', code: error.code, message: error.message, retryable: false };
}
