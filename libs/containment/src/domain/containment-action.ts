import type { Capability, ContainmentOperation } from '@rampart/connectors';

export const ACTION_STATES = [
  'pending',
  'succeeded',
  'failed',
  'rolled_back',
  'rollback_failed',
  'expired',
  'refused',
  'joined',
] as const;
/**
 * - `pending`: recorded, vendor call in flight or its outcome unknown (crash, timeout); the
 *   reconciliation asks the vendor instead of calling again.
 * - `succeeded` / `failed`: the vendor call's result.
 * - `rolled_back` / `expired`: undone on request / by the sweeper at `expiresAt`.
 * - `rollback_failed`: the undo failed for good; a rollback request may try again.
 * - `refused`: a guardrail (protected asset) stopped it before any vendor call.
 * - `joined`: the same change was already in force or in flight (`joinedActionId`); this request
 *   joined that action (extending its expiry when it asked for longer) instead of acting twice.
 */
export type ActionState = (typeof ACTION_STATES)[number];

/** One containment action, as recorded. Never holds a credential. */
export interface ContainmentAction {
  id: string;
  /** null once the connector instance was deleted; `connectorName` keeps what it was. */
  connectorInstanceId: string | null;
  connectorName: string;
  capability: Capability;
  operation: ContainmentOperation;
  /** IP/CIDR, host, user or message text, in canonical spelling. */
  target: string;
  /** Unique: the same key never acts twice. */
  idempotencyKey: string;
  incidentId: string | null;
  requestedBy: string;
  requestedAt: Date;
  reason: string | null;
  state: ActionState;
  outcome: 'changed' | 'already_in_state' | null;
  vendorRef: string | null;
  /** A ConnectorError code, or `not_applied` / `outcome_unknown` / `connector_not_found`. */
  errorCode: string | null;
  errorMessage: string | null;
  expiresAt: Date | null;
  completedAt: Date | null;
  /** The expiry asked for, in seconds from the request (null: permanent). */
  expiresInSeconds: number | null;
  /** When it was undone (rollback or expiry). */
  rolledBackAt: Date | null;
  /** For an undo record: the action it undoes. */
  rollbackOf: string | null;
  /** For a `joined` record: the action in force it joined. */
  joinedActionId: string | null;
  details: Record<string, unknown>;
}

/** Error codes an action record can carry besides the ConnectorError codes. */
export const ActionFailure = {
  /** Reconciliation: the vendor does not show the change a crashed call was to make. */
  NotApplied: 'not_applied',
  /** Reconciliation: the vendor cannot tell whether the call landed (notifications...). */
  OutcomeUnknown: 'outcome_unknown',
  ConnectorNotFound: 'connector_not_found',
  Internal: 'internal_error',
  /** A protected asset refused it (details.rule names which). */
  ProtectedAsset: 'protected_asset',
} as const;
