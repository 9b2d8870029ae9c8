import type { Diagnostic } from '@rampart/diagnostics';

/** Why a playbook file, or something in it, did not load as written. */
export const PlaybookDiagnosticCode = {
  ReadFailed: 'read_failed',
  YamlSyntax: 'yaml_syntax',
  InvalidStructure: 'invalid_structure',
  MissingField: 'missing_field',
  UnknownField: 'unknown_field',
  InvalidField: 'invalid_field',
  DuplicateId: 'duplicate_id',
  DuplicateStepId: 'duplicate_step_id',
  InvalidDuration: 'invalid_duration',
  InvalidTemplate: 'invalid_template',
  InvalidCondition: 'invalid_condition',
  UnknownTactic: 'unknown_tactic',
  UnknownStep: 'unknown_step',
  InvalidGoto: 'invalid_goto',
  UnknownInput: 'unknown_input',
  InvalidInput: 'invalid_input',
  InvalidRetry: 'invalid_retry',
  CapabilityMismatch: 'capability_mismatch',
  NotReversible: 'not_reversible',
  NestedForEach: 'nested_for_each',
  UnknownPlaybook: 'unknown_playbook',
  PlaybookCycle: 'playbook_cycle',
  NoPlaybooks: 'no_playbooks',
} as const;
export type PlaybookDiagnosticCode = (typeof PlaybookDiagnosticCode)[keyof typeof PlaybookDiagnosticCode];

/**
 * One problem found while loading playbooks. An error makes its playbook invalid (it is listed,
 * never run); a warning changes nothing. Other files load whatever one file holds.
 */
export type PlaybookDiagnostic = Diagnostic<PlaybookDiagnosticCode>;
