import type { CorrelationRule } from '../domain/rules/correlation-rule';

/** The correlation rules in force; loaded at start from CORRELATION_RULES_DIR. */
export abstract class CorrelationRuleSet {
  abstract rules(): CorrelationRule[];
}
