/**
 * Every vendor severity scale mapped onto OCSF severity ids, in one place, so that a "high" from
 * Wazuh and a "high" from Suricata mean the same thing to correlation and playbooks.
 *
 * | id | name          | Elastic             | OCSF                   | Wazuh level | Suricata priority | Splunk ES     | CEF          |
 * |----|---------------|---------------------|------------------------|-------------|-------------------|---------------|--------------|
 * | 0  | unknown       | nothing given       | 0, 99 without a label  | (never)     | (never)           | unknown, none | Unknown, none, and no vendor field |
 * | 1  | informational | (none)              | 1                      | 0-3         | 4 and above       | informational | (words)      |
 * | 2  | low           | low, score 0-21     | 2                      | 4-6         | 3                 | low           | 0-3, Low     |
 * | 3  | medium        | medium, score 22-47 | 3                      | 7-10        | 2                 | medium        | 4-6, Medium  |
 * | 4  | high          | high, score 48-73   | 4                      | 11-13       | 1                 | high          | 7-8, High    |
 * | 5  | critical      | critical, 74-100    | 5, 6 Fatal             | 14-16       | (signature_severity Critical) | critical | 9-10, Very-High |
 *
 * Vendors also use words of their own; {@link VENDOR_SEVERITY_WORDS} maps the ones seen in real
 * alerts. A word we do not know is never read as informational: it is `unknown` (0), shown as
 * such, and the vendor's word is kept in `vendorSeverity`.
 */
import type { SeverityId } from './normalized-alert';

/**
 * Severity words as vendors write them, by the vendor that uses them (a word means the same
 * whoever sends it, so one table serves every format).
 */
export const VENDOR_SEVERITY_WORDS: Readonly<Record<string, SeverityId>> = {
  // OCSF, Elastic, Splunk ES, CEF, Microsoft Defender and most others.
  unknown: 0,
  informational: 1,
  information: 1,
  info: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
  // ArcSight CEF header words.
  'very-high': 5,
  'very high': 5,
  veryhigh: 5,
  // OCSF 6 Fatal.
  fatal: 5,
  // Emerging Threats signature_severity (Suricata rule metadata).
  minor: 2,
  major: 4,
  // FortiWeb threat levels: Low, Moderate, Substantial, Severe, Critical.
  moderate: 3,
  substantial: 4,
  severe: 5,
  // Check Point (cp_severity, Severity): Informational, Low, Medium, High, Critical, Very-High.
  // Syslog levels (CEF senders that forward their syslog level as the severity; Wazuh decoders).
  debug: 1,
  notice: 2,
  warning: 3,
  warn: 3,
  error: 4,
  err: 4,
  crit: 5,
  alert: 5,
  emergency: 5,
  emerg: 5,
};

function clampToInteger(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.trunc(value);
}

/** A severity word in any case ("High", "very-high", "Substantial"); null if it is not one we know. */
export function severityFromName(name: string | null): SeverityId | null {
  if (name === null || name.length > 16) return null;
  const key = name.trim().toLowerCase().replace(/_/g, '-');
  return Object.prototype.hasOwnProperty.call(VENDOR_SEVERITY_WORDS, key)
    ? (VENDOR_SEVERITY_WORDS[key] as SeverityId)
    : null;
}

/**
 * A 0-100 score in Kibana's default bands (risk score, ECS `event.severity` of Elastic Defend):
 * 0-21 low, 22-47 medium, 48-73 high, 74-100 critical.
 */
export function scoreSeverity(score: number | null): SeverityId | null {
  if (score === null || score < 0 || score > 100) return null;
  if (score <= 21) return 2;
  if (score <= 47) return 3;
  if (score <= 73) return 4;
  return 5;
}

/**
 * Elastic `kibana.alert.severity` (low, medium, high, critical). Without a label, the risk score,
 * then the event's own severity score (ECS `event.severity`, 0-100 for Elastic Defend); with
 * none of them, unknown.
 */
export function elasticSeverity(
  label: string | null,
  riskScore: number | null,
  eventSeverity: number | null = null,
): SeverityId {
  return severityFromName(label) ?? scoreSeverity(riskScore) ?? scoreSeverity(eventSeverity) ?? 0;
}

/**
 * OCSF `severity_id` is our scale already: 0 Unknown stays unknown, 6 Fatal is above critical and
 * becomes critical, 99 Other (and an id we do not know) reads the `severity` label as a word.
 */
export function ocsfSeverity(severityIdValue: number | null, label: string | null): SeverityId {
  const id = clampToInteger(severityIdValue);
  if (id !== null && id >= 0 && id <= 5) return id as SeverityId;
  if (id === 6) return 5;
  return severityFromName(label) ?? 0;
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

/** Splunk ES urgency or severity words; "unknown" or nothing is unknown. */
export function splunkSeverity(name: string | null): SeverityId {
  return severityFromName(name) ?? 0;
}

/**
 * CEF header severity: integers 0-3 low, 4-6 medium, 7-8 high, 9-10 critical (above 10 is treated
 * as 10); words Low, Medium, High, Very-High and the vendor words above. When the header says
 * Unknown or nothing, the vendor's own severity field (`vendorValues`, in order: Check Point
 * cp_severity, a custom field labelled threatLevel, severity or level...) decides; unknown when
 * none does.
 */
export function cefSeverity(header: string | null, vendorValues: readonly string[] = []): SeverityId {
  const fromHeader = header === null ? null : cefValue(header);
  if (fromHeader !== null && fromHeader !== 0) return fromHeader;
  for (const value of vendorValues) {
    const fromVendor = cefValue(value);
    if (fromVendor !== null && fromVendor !== 0) return fromVendor;
  }
  return 0;
}

function cefValue(value: string): SeverityId | null {
  const trimmed = value.trim();
  if (/^\d{1,3}$/.test(trimmed)) {
    const level = Number(trimmed);
    if (level <= 3) return 2;
    if (level <= 6) return 3;
    if (level <= 8) return 4;
    return 5;
  }
  return severityFromName(trimmed);
}
