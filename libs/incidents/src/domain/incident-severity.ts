import { type SeverityId, severityName } from '@rampart/alerts';

export interface SeverityEvidence {
  current: number;
  maxAlertSeverity: number;
  maxRuleSeverity: number;
  alertCount: number;
  hostCount: number;
}

/** Evidence thresholds at which an incident's severity rises one level above its worst alert. */
export const ESCALATION = { alertCount: 10, hostCount: 3 } as const;

/**
 * Severity only ever rises on its own (an analyst may lower it): the worst alert or rule match,
 * one level more once the evidence is broad (many alerts, or several hosts).
 */
export function computeIncidentSeverity(evidence: SeverityEvidence): {
  severityId: SeverityId;
  reason: string;
} {
  const base = Math.max(evidence.maxAlertSeverity, evidence.maxRuleSeverity);
  const broad = evidence.alertCount >= ESCALATION.alertCount || evidence.hostCount >= ESCALATION.hostCount;
  const computed = Math.min(5, base + (broad ? 1 : 0));
  const severityId = Math.max(evidence.current, computed) as SeverityId;
  const reasons: string[] = [];
  if (evidence.maxRuleSeverity > evidence.maxAlertSeverity) reasons.push('a correlation rule matched');
  else reasons.push('its worst alert');
  if (broad) reasons.push(`${evidence.alertCount} alerts on ${evidence.hostCount} hosts`);
  return {
    severityId,
    reason: `Severity raised from ${severityName(evidence.current as SeverityId)} to ${severityName(severityId)}: ${reasons.join(', ')}`,
  };
}
