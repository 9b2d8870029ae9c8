import { boundedKey } from './bounded-key';

/**
 * The one alert model every SIEM format is normalized into. Field names follow OCSF where OCSF has
 * one (severity ids, finding uid, attacks); the raw original is always kept next to it.
 */

export const ALERT_FORMATS = ['elastic', 'ocsf', 'wazuh', 'suricata', 'splunk', 'cef'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

/**
 * OCSF severity_id: 0 Unknown (the source said nothing we can rank), 1 Informational, 2 Low,
 * 3 Medium, 4 High, 5 Critical. Only alerts can be unknown: incidents, rules and analysts deal in
 * the five ranked levels, and an unknown alert ranks below informational.
 */
export type SeverityId = 0 | 1 | 2 | 3 | 4 | 5;
/** The ranked levels, 1..5: what an analyst or a rule may set. */
export const SEVERITY_NAMES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];
export const UNKNOWN_SEVERITY = 'unknown';
/** Every severity an alert may carry, unknown first: what alert and incident filters accept. */
export const ALERT_SEVERITY_NAMES = [UNKNOWN_SEVERITY, ...SEVERITY_NAMES] as const;
export type AlertSeverityName = (typeof ALERT_SEVERITY_NAMES)[number];

export function severityName(id: SeverityId): AlertSeverityName {
  return ALERT_SEVERITY_NAMES[id] ?? UNKNOWN_SEVERITY;
}

export function severityId(name: AlertSeverityName): SeverityId {
  const index = ALERT_SEVERITY_NAMES.indexOf(name);
  return (index < 0 ? 0 : index) as SeverityId;
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
  /**
   * Canonical value: hosts, domains and hashes lower-cased; IPs in canonical text form; a user is
   * `<first label of its domain>\<account>` when a domain is known, else the account alone, all
   * lower-cased (see {@link userIdentity}): the value correlation keys on.
   */
  value: string;
  role: EntityRole;
  /** Users only: the account name as the source wrote it, lower-cased, without its domain. */
  name?: string;
  /** Users only: the domain (or machine) the account belongs to, lower-cased, when known. */
  domain?: string;
}

/** One vendor-defined field with the label the vendor gave it (CEF cs1/cs1Label, cn2/cn2Label...). */
export interface LabelledField {
  /** The field's key as sent (`cs1`, `cn2`, `deviceCustomDate1`...). */
  key: string;
  label: string | null;
  value: string;
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
  /** What the analyst reads first: the vendor's own sentence about this alert. */
  description: string | null;
  /** The malware, threat or signature the vendor named, when it named one. */
  threatName: string | null;
  severityId: SeverityId;
  /** The severity as the vendor wrote it, for the record. */
  vendorSeverity: string | null;
  /** When the detected activity happened (event time, not arrival time). */
  time: Date;
  ruleId: string | null;
  ruleName: string | null;
  tactics: AttackTactic[];
  techniques: AttackTechnique[];
  /** De-duplicated: one entry per (type, value, role). These are the alert's observables. */
  entities: AlertEntity[];
  /** Vendor-defined fields kept with their labels, in the order sent. */
  customFields: LabelledField[];
  /** The original alert exactly as received (parsed JSON, or the CEF line as a string). */
  raw: unknown;
}

/** The key that correlation groups on: role is not part of it. Bounded, as it is indexed. */
export function entityKey(entity: Pick<AlertEntity, 'type' | 'value'>): string {
  return boundedKey(`${entity.type}:${entity.value}`);
}

/**
 * What an entity filter (`?entity=`) looks for: `type:value` (host:web-01, user:corp\jdoe) is the
 * entity key, built as stored keys are (bounded); anything else is a value of any entity type.
 */
export function entityFilter(text: string): { key: string } | { value: string } {
  const entity = text.trim().toLowerCase();
  const typed = /^([a-z_]+):(.+)$/.exec(entity);
  const type = typed?.[1];
  if (typed && type !== undefined && (ENTITY_TYPES as readonly string[]).includes(type)) {
    return { key: entityKey({ type: type as EntityType, value: typed[2] as string }) };
  }
  return { value: entity };
}

/**
 * How a user is known across sources, the one rule user correlation follows: the account name
 * plus the first label of its domain, lower-cased, as `domain\account`. So `CORP\jdoe`,
 * `jdoe@corp.example.com` and `jdoe` with domain `CORP` are one user (`corp\jdoe`), while local
 * accounts stay apart by machine (`ws1\admin`, `ws2\admin`). An account with no domain at all
 * is keyed by its name alone and meets only other domain-less mentions of that name.
 */
export function userIdentity(name: string, domain: string | null): string {
  const account = name.toLowerCase();
  if (domain === null || domain === '') return account;
  const label = domain.toLowerCase().split('.')[0] ?? '';
  return label === '' ? account : `${label}\\${account}`;
}
