import type { Diagnostic } from '@rampart/diagnostics';

import type { CorrelationRule } from './correlation-rule';

/** Why a rules file, or a rule in it, did not load as written. */
export const RuleDiagnosticCode = {
  ReadFailed: 'read_failed',
  YamlSyntax: 'yaml_syntax',
  InvalidStructure: 'invalid_structure',
  MissingField: 'missing_field',
  UnknownField: 'unknown_field',
  InvalidField: 'invalid_field',
  DuplicateId: 'duplicate_id',
  UnknownEntityType: 'unknown_entity_type',
  UnknownEntityRole: 'unknown_entity_role',
  InvalidDuration: 'invalid_duration',
  InvalidAttackId: 'invalid_attack_id',
  UnknownTactic: 'unknown_tactic',
  NoRules: 'no_rules',
} as const;
export type RuleDiagnosticCode = (typeof RuleDiagnosticCode)[keyof typeof RuleDiagnosticCode];

/**
 * One problem found while loading rules. Errors drop what they point at (a whole file for a YAML
 * syntax error, otherwise the one rule); warnings drop nothing.
 */
export type RuleDiagnostic = Diagnostic<RuleDiagnosticCode>;

/** The rules that loaded, and every problem found on the way. */
export interface CompiledRuleSet {
  rules: CorrelationRule[];
  diagnostics: RuleDiagnostic[];
}
