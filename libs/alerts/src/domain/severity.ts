/**
 * Every vendor severity scale mapped onto OCSF severity ids, in one place, so that a "high" from
 * Wazuh and a "high" from Suricata mean the same thing to correlation and playbooks.
 *
 * | id | name          | Elastic  | OCSF       | Wazuh level | Suricata priority | Splunk ES     | CEF          |
 * |----|---------------|----------|------------|-------------|-------------------|---------------|--------------|
 * | 1  | informational | (none)   | 1, 0, 99   | 0-3         | 4 and above       | informational | Unknown      |
 * | 2  | low           | low      | 2          | 4-6         | 3                 | low           | 0-3, Low     |
 * | 3  | medium        | medium   | 3          | 7-10        | 2                 | medium        | 4-6, Medium  |
 * | 4  | high          | high     | 4          | 11-13       | 1                 | high          | 7-8, High    |
 * | 5  | critical      | critical | 5, 6 Fatal | 14-16       | (signature_severity Critical) | critical | 9-10, Very-High |
 *
 * A missing or unreadable severity is informational everywhere: the alert is still accepted,
 * and correlation escalates as evidence grows rather than trusting a guess.
 */
import type { SeverityId } from './normalized-alert';

const NAMES: ReadonlyMap<string, SeverityId> = new Map<string, SeverityId>([
  ['informational', 1],
  ['information', 1],
  ['info', 1],
  ['unknown', 1],
  ['low', 2],
  ['minor', 2],
  ['medium', 3],
  ['moderate', 3],
  ['high', 4],
  ['major', 4],
  ['critical', 5],
  ['very-high', 5],
  ['very high', 5],
  ['veryhigh', 5],
  ['fatal', 5],
]);

function clampToInteger(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.trunc(value);
}

/** A severity word in any case ("High", "very-high", "info"); null if it is not one. */
export function severityFromName(name: string | null): SeverityId | null {
  if (name === null || name.length > 16) return null;
  return NAMES.get(name.trim().toLowerCase()) ?? null;
}

/**
 * Elastic `kibana.alert.severity` (low, medium, high, critical). Without a label, the rule's risk
 * score in Kibana's own default bands: 0-21 low, 22-47 medium, 48-73 high, 74-100 critical.
 */
export function elasticSeverity(label: string | null, riskScore: number | null): SeverityId {
  const named = severityFromName(label);
  if (named !== null) return named;
  if (riskScore === null || riskScore < 0) return 1;
  if (riskScore <= 21) return 2;
  if (riskScore <= 47) return 3;
  if (riskScore <= 73) return 4;
  return 5;
}

/**
 * OCSF `severity_id` is our scale already; 0 Unknown and 99 Other carry no rank and become
 * informational, 6 Fatal is above critical and becomes critical. Without an id, the `severity`
 * label is read as a word.
 */
export function ocsfSeverity(severityIdValue: number | null, label: string | null): SeverityId {
  const id = clampToInteger(severityIdValue);
  if (id !== null && id >= 1 && id <= 5) return id as SeverityId;
  if (id === 6) return 5;
  if (id === 0 || id === 99) return 1;
  return severityFromName(label) ?? 1;
}

/**
 * Wazuh `rule.level` 0-16, grouped as Wazuh's rule classification table describes the levels:
 * 0-3 are ignored events and system notifications (informational); 4-6 are low-priority errors
 * and low-relevance attacks (low); 7-10 are suspicious patterns, first-time events and repeated
 * errors (medium); 11-13 are integrity warnings and high-importance events (high); 14-16 are
 * high-importance security events and severe attacks with little chance of a false positive
 * (critical). Levels above 16 are treated as 16.
 */
export function wazuhSeverity(level: number | null): SeverityId {
  const value = clampToInteger(level);
  if (value === null || value <= 3) return 1;
  if (value <= 6) return 2;
  if (value <= 10) return 3;
  if (value <= 13) return 4;
  return 5;
}

/**
 * Suricata `alert.severity` is a rule priority where 1 is the highest: 1 high, 2 medium, 3 low,
 * 4 and above informational. A missing priority is Suricata's own default for rules without a
 * `priority`/classtype, 3 (low). Priorities stop at high, so the Emerging Threats
 * `metadata.signature_severity` (Informational, Minor, Major, Critical), when present, may raise
 * the result (never lower it): it is the only way a Suricata alert reaches critical.
 */
export function suricataSeverity(
  priority: number | null,
  signatureSeverity: string | null = null,
): SeverityId {
  const value = clampToInteger(priority) ?? 3;
  const fromPriority: SeverityId = value <= 0 ? 1 : value === 1 ? 4 : value === 2 ? 3 : value === 3 ? 2 : 1;
  const fromSignature = severityFromName(signatureSeverity);
  return fromSignature !== null && fromSignature > fromPriority ? fromSignature : fromPriority;
}

/** Splunk ES urgency or severity names: informational, low, medium, high, critical. */
export function splunkSeverity(name: string | null): SeverityId {
  return severityFromName(name) ?? 1;
}

/**
 * CEF header severity: integers 0-3 low, 4-6 medium, 7-8 high, 9-10 critical (above 10 is treated
 * as 10); words Low, Medium, High, Very-High; "Unknown" or anything unreadable is informational.
 */
export function cefSeverity(value: string | null): SeverityId {
  if (value === null) return 1;
  const trimmed = value.trim();
  if (/^\d{1,3}$/.test(trimmed)) {
    const level = Number(trimmed);
    if (level <= 3) return 2;
    if (level <= 6) return 3;
    if (level <= 8) return 4;
    return 5;
  }
  return severityFromName(trimmed) ?? 1;
}
