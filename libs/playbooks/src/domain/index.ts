export {
  type CompiledPlaybookFile,
  compilePlaybook,
  type PlaybookLocation,
  type PlaybookSource,
  sha256Hex,
} from './compile-playbook';
export { type CompiledPlaybookSet, compilePlaybookSet, type LoadedPlaybook } from './compile-playbook-set';
export {
  type Condition,
  type ConditionContext,
  describeCondition,
  evaluateCondition,
  FIELD_OPERATORS,
  FIELD_ROOTS,
  type FieldOperator,
} from './condition';
export { type Decision, decide, mayDecide, RunStateError } from './decide';
export {
  dryRun,
  type DryRunAction,
  type DryRunApproval,
  type DryRunOptions,
  type DryRunResult,
  type Guardrail,
  type GuardrailVerdict,
  type ProposedAction,
} from './dry-run';
export type {
  AlertSummary,
  ConnectorInfo,
  IncidentEntity,
  IncidentSnapshot,
  RuleMatchSummary,
} from './incident-snapshot';
export * from './playbook';
export { type PlaybookDiagnostic, PlaybookDiagnosticCode } from './playbook-diagnostic';
export { coerceInput, type InputProblem, resolveInputs } from './playbook-inputs';
export { PLAYBOOK_ID_PATTERN, playbookJsonSchema, playbookSchema, STEP_ID_PATTERN } from './playbook-schema';
export { DEFAULT_STEP_RETRY_POLICY } from './retry-policy';
export { type RunItem, runData, type StepView } from './run-data';
export {
  approvalIdOf,
  IDEMPOTENCY_KEY_PATTERN,
  instanceKey,
  itemToken,
  RUN_ID_PATTERN,
  runKey,
} from './run-keys';
export * from './run-state';
export { describeTrigger, type IncidentTrigger, matchingPlaybooks, type PlaybookCatalog } from './trigger';
