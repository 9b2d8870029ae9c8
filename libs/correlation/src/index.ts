export { CORRELATION_ACTOR, CorrelateAlertsUseCase } from './application/correlate-alerts.use-case';
export type { CorrelationOutcome, CorrelationProbe } from './application/correlate-alerts.use-case';
export { CorrelationRuleSet } from './application/correlation-rule-set';
export { loadCorrelationRules } from './application/load-correlation-rules';
export { CorrelationModule } from './correlation.module';
export { planIncidentAssignment, planRuleMerges } from './domain/grouping/plan-incident-assignment';
export * from './domain/rules';
