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
export interface RuleDiagnostic {
  severity: 'error' | 'warning';
  code: RuleDiagnosticCode;
  file: string;
  /** 1-based; null when the problem has no place in the text (an unreadable file). */
  line: number | null;
  /** Where in the document, e.g. `rules[2].within`; empty for the whole file. */
  path: string;
  message: string;
}

/** The rules that loaded, and every problem found on the way. */
export interface CompiledRuleSet {
  rules: CorrelationRule[];
  diagnostics: RuleDiagnostic[];
}

export function hasErrors(diagnostics: readonly RuleDiagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

/** `rules/default.yaml:12 rules[2].within: error invalid_duration: ...`, for logs and the CLI. */
export function formatDiagnostic(diagnostic: RuleDiagnostic): string {
  const place = diagnostic.line === null ? diagnostic.file : `${diagnostic.file}:${diagnostic.line}`;
  const path = diagnostic.path === '' ? '' : ` ${diagnostic.path}`;
  return `${place}${path}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`;
}
