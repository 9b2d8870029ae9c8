import type { EntityRole, EntityType, SeverityId } from '@rampart/alerts';

export const CORRELATION_RULE_TYPES = ['threshold', 'distinct_count', 'sequence'] as const;
export type CorrelationRuleType = (typeof CORRELATION_RULE_TYPES)[number];

/** Longest accepted `within`: the caller loads this much history for every new alert. */
export const MAX_WITHIN_MS = 30 * 86_400_000;
export const MIN_SEQUENCE_STEPS = 2;
/** Steps are tracked as bits, and each step multiplies the work per time bucket. */
export const MAX_SEQUENCE_STEPS = 10;

/** An entity type, optionally narrowed to one role: `host`, `ip:source`. */
export interface EntitySelector {
  type: EntityType;
  /** null: any role. */
  role: EntityRole | null;
}

/**
 * Conditions on a single event; all must hold. Each list means "any of", and an empty list places
 * no condition. Ids are upper-case, sources and title fragments lower-case.
 */
export interface EventFilter {
  minSeverityId: SeverityId | null;
  tacticIds: string[];
  /** A technique matches itself and its sub-techniques: T1110 matches T1110.001. */
  techniqueIds: string[];
  /** A source matches itself and its sub-sources: `ocsf` matches `ocsf:guardduty`. */
  sources: string[];
  titleContains: string[];
}

interface CorrelationRuleBase {
  id: string;
  name: string;
  description: string | null;
  /** The severity an incident is escalated to, at least, when the rule matches. */
  severityId: SeverityId;
  groupBy: EntitySelector;
  withinMs: number;
  where: EventFilter;
}

/** At least `count` events of one group inside a window of `withinMs`. */
export interface ThresholdRule extends CorrelationRuleBase {
  type: 'threshold';
  count: number;
}

/** At least `count` distinct values of the `distinct` entity inside a window of `withinMs`. */
export interface DistinctCountRule extends CorrelationRuleBase {
  type: 'distinct_count';
  distinct: EntitySelector;
  count: number;
}

/** One distinct event per step, in time order (ties allowed), first to last within `withinMs`. */
export interface SequenceRule extends CorrelationRuleBase {
  type: 'sequence';
  steps: EventFilter[];
}

/** A compiled correlation rule: validated, durations in milliseconds, ids normalized. */
export type CorrelationRule = ThresholdRule | DistinctCountRule | SequenceRule;
