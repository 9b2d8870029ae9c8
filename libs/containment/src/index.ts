// Public surface of the containment library: the action lifecycle's use cases and types, and the
// Nest modules for the API (routes) and the engine (sweeper). Vendors are reached through
// @rampart/connectors' ConnectorOperations port.

export { ActionSweeperModule, ContainmentHttpModule, ContainmentModule } from './containment.module';
export type { ActionState, ContainmentAction } from './domain/containment-action';
export { ACTION_STATES, ActionFailure } from './domain/containment-action';
export { ContainmentError, ContainmentErrorCode } from './domain/containment-error';
export type { BlastRadiusLimit, ProtectedAsset, ProtectedAssetKind } from './domain/guardrails';
export { GUARDED_OPERATIONS, PROTECTED_ASSET_KINDS } from './domain/guardrails';
export { ProtectedAssetsUseCase } from './application/protected-assets.use-case';
export { Guardrails } from './application/guardrails';
export type { GuardrailRequest, GuardrailVerdict } from './application/guardrails';
export type { ActionOrigin } from './domain/idempotency-key';
export { RESERVED_KEY_PREFIXES } from './domain/idempotency-key';
export { ActionLeases } from './application/action-lease';
export type { ExecuteActionCommand, ExecuteActionResult } from './application/execute-action.use-case';
export { ExecuteActionUseCase } from './application/execute-action.use-case';
export type { RollbackActionCommand, RollbackActionResult } from './application/rollback-action.use-case';
export { RollbackActionUseCase } from './application/rollback-action.use-case';
export type { ExpiryReport } from './application/expire-due-actions.use-case';
export { ExpireDueActionsUseCase } from './application/expire-due-actions.use-case';
export type { ReconciliationReport } from './application/reconcile-pending-actions.use-case';
export { ReconcilePendingActionsUseCase } from './application/reconcile-pending-actions.use-case';
export type { ActionVendorState } from './application/observe-action.use-case';
export { ObserveActionUseCase } from './application/observe-action.use-case';
export type { ContainmentActionDetail } from './application/containment-action-queries';
export { ContainmentActionQueries } from './application/containment-action-queries';
export type { ActionListFilter, ActionPage } from './application/containment-action-store';
export type { ActionSweeperOptions, SweepReport } from './infrastructure/scheduling/action-sweeper';
export { ACTION_SWEEPER_OPTIONS, ActionSweeper } from './infrastructure/scheduling/action-sweeper';
export { executeActionBody, rollbackActionBody } from './infrastructure/http/containment-actions.controller';
export { protectedAssetBody } from './infrastructure/http/protected-assets.controller';
