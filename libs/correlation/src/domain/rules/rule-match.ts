import type { SeverityId } from '@rampart/alerts';

/**
 * Evidence that a rule held for one group: the caller merges `alertIds` into one incident,
 * raises its severity to at least `severityId` and writes `summary` to its timeline.
 */
export interface RuleMatch {
  ruleId: string;
  ruleName: string;
  /** The entity key the events were grouped on, e.g. `host:web-01`. */
  groupKey: string;
  severityId: SeverityId;
  /** Every event of every window or chain that satisfied the rule, sorted. */
  alertIds: string[];
  firstTime: Date;
  lastTime: Date;
  summary: string;
}
