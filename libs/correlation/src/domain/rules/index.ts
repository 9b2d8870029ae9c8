export { compileRuleSources, compileRulesFromText, type RuleSource } from './compile-correlation-rules';
export type { CorrelationEvent } from './correlation-event';
export {
  CORRELATION_RULE_TYPES,
  type CorrelationRule,
  type CorrelationRuleType,
  type DistinctCountRule,
  type EntitySelector,
  type EventFilter,
  MAX_SEQUENCE_STEPS,
  MAX_WITHIN_MS,
  type SequenceRule,
  type ThresholdRule,
} from './correlation-rule';
export { evaluateRules, lookbackMs } from './evaluate-rules';
export { type CompiledRuleSet, type RuleDiagnostic, RuleDiagnosticCode } from './rule-diagnostic';
export type { RuleMatch } from './rule-match';
