import { boundedKey } from './bounded-key';

/**
 * The one alert model every SIEM format is normalized into. Field names follow OCSF where OCSF has
 * one (severity ids, finding uid, attacks); the raw original is always kept next to it.
 */

export const ALERT_FORMATS = ['elastic', 'ocsf', 'wazuh', 'suricata', 'splunk', 'cef'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
export type SeverityId = 1 | 2 | 3 | 4 | 5;
export const SEVERITY_NAMES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

export function severityName(id: SeverityId): SeverityName {
  return SEVERITY_NAMES[id - 1] as SeverityName;
}

export function severityId(name: SeverityName): SeverityId {
  return (SEVERITY_NAMES.indexOf(name) + 1) as SeverityId;
}

export const ENTITY_TYPES = ['host', 'ip', 'user', 'file_hash', 'domain', 'url', 'process'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/**
 * Where the entity stood in the detected activity. `source`/`destination` for network
 * endpoints, `actor`/`target` for users and hosts when the format says so, `related` otherwise.
 * `observer` is the device that reported the alert (an IDS sensor, a firewall or WAF, a log
 * forwarder): kept for the record, but never correlated, since every alert it reports shares it.
 */
export const ENTITY_ROLES = ['source', 'destination', 'actor', 'target', 'related', 'observer'] as const;
export type EntityRole = (typeof ENTITY_ROLES)[number];

export interface AlertEntity {
  type: EntityType;
  /** Canonical value: hosts, domains, users and hashes lower-cased; IPs in canonical text form. */
  value: string;
  role: EntityRole;
}

export interface AttackTactic {
  /** MITRE ATT&CK tactic id, e.g. TA0001; null when only the name was given and it is unknown. */
  id: string | null;
  name: string | null;
}

export interface AttackTechnique {
  /** MITRE ATT&CK technique or sub-technique id, e.g. T1059 or T1059.001. */
  id: string;
  name: string | null;
}

export interface NormalizedAlert {
  format: AlertFormat;
  /**
   * The product that raised the alert, lower-case, stable across deliveries:
   * e.g. `elastic`, `wazuh`, `suricata`, `splunk`, `ocsf:guardduty`, `cef:barracudanetworks:waas`.
   */
  source: string;
  /** The vendor's own id for this alert (Elastic kibana.alert.uuid, Wazuh id, ...), or null. */
  externalId: string | null;
  title: string;
  description: string | null;
  severityId: SeverityId;
  /** The severity as the vendor wrote it, for the record. */
  vendorSeverity: string | null;
  /** When the detected activity happened (event time, not arrival time). */
  time: Date;
  ruleId: string | null;
  ruleName: string | null;
  tactics: AttackTactic[];
  techniques: AttackTechnique[];
  /** De-duplicated: one entry per (type, value, role). */
  entities: AlertEntity[];
  /** The original alert exactly as received (parsed JSON, or the CEF line as a string). */
  raw: unknown;
}

/** The key that correlation groups on: role is not part of it. Bounded, as it is indexed. */
export function entityKey(entity: Pick<AlertEntity, 'type' | 'value'>): string {
  return boundedKey(`${entity.type}:${entity.value}`);
}
