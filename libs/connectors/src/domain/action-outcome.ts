/**
 * What every containment operation returns. `already_in_state` means the vendor was asked (or its
 * state read) and nothing had to change, so a retried or replayed step is harmless and the action
 * record can say so.
 */
export interface ActionOutcome {
  status: 'changed' | 'already_in_state';
  /** Vendor handle for later look-ups: device id, machine action id, object name... */
  vendorRef?: string;
  details?: Record<string, unknown>;
  /** When the vendor (or our sweeper) lifts the action by itself. */
  expiresAt?: Date;
  /** The caller's idempotency key, echoed back so action records can be matched to outcomes. */
  idempotencyKey?: string;
}

/** Options every operation accepts. */
export interface OperationOptions {
  /**
   * Stable key for this logical action (run + step). Sent to the vendor where it has a place for
   * it (comment, reason, header) and always echoed in the outcome.
   */
  idempotencyKey?: string;
  /** Human text for the vendor's audit trail (MDE `Comment`, FortiGate object comment). */
  comment?: string;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:@-]{1,128}$/;

/** Keys end up in vendor comments and headers, so they are kept to a plain, short alphabet. */
export function isValidIdempotencyKey(key: string): boolean {
  return IDEMPOTENCY_KEY.test(key);
}

export function outcome(
  status: ActionOutcome['status'],
  options: OperationOptions | undefined,
  extra: Omit<ActionOutcome, 'status' | 'idempotencyKey'> = {},
): ActionOutcome {
  const result: ActionOutcome = { status, ...extra };
  if (options?.idempotencyKey !== undefined) result.idempotencyKey = options.idempotencyKey;
  return result;
}
