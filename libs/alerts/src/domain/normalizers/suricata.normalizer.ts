import { EntityCollector } from '../entity-collector';
import {
  asInteger,
  asRecordList,
  asText,
  asTextList,
  getField,
  isRecord,
  own,
  unwrapSearchHit,
  type JsonRecord,
} from '../field-access';
import { AttackCollector, type AttackTags } from '../mitre-attack';
import {
  failure,
  invalid,
  isFailure,
  resolveTime,
  success,
  type NormalizeContext,
  type NormalizeResult,
} from '../normalize-result';
import type { AlertEntity } from '../normalized-alert';
import { suricataSeverity } from '../severity';

// Suricata EVE JSON. Only `event_type: "alert"` records are alerts; flow, dns, http, stats... are
// recognised as Suricata and refused as unsupported events.

/** An EVE record: a string `event_type` and `timestamp`, plus a flow, an address or an alert. */
export function looksLikeSuricataEvent(input: unknown): boolean {
  const { document } = unwrapSearchHit(input);
  if (!isRecord(document)) return false;
  if (typeof own(document, 'event_type') !== 'string' || typeof own(document, 'timestamp') !== 'string')
    return false;
  return (
    own(document, 'flow_id') !== undefined ||
    typeof own(document, 'src_ip') === 'string' ||
    typeof own(document, 'in_iface') === 'string' ||
    isRecord(own(document, 'alert')) ||
    isRecord(own(document, 'stats'))
  );
}

export function normalizeSuricataAlert(input: unknown, context: NormalizeContext): NormalizeResult {
  const { document } = unwrapSearchHit(input);
  if (!isRecord(document)) return invalid('suricata event must be a JSON object');
  const eventType = asText(own(document, 'event_type'));
  if (eventType === null) return invalid('suricata event has no event_type', 'event_type');
  if (eventType !== 'alert') {
    return failure(
      'unsupported_event',
      `suricata event_type "${eventType.slice(0, 64)}" is not an alert`,
      'event_type',
    );
  }
  const alert = own(document, 'alert');
  if (!isRecord(alert)) return invalid('suricata alert has no alert object', 'alert');
  const signature = asText(own(alert, 'signature'));
  if (signature === null) return invalid('suricata alert has no alert.signature', 'alert.signature');

  const time = resolveTime('suricata', [{ path: 'timestamp', value: own(document, 'timestamp') }], context);
  if (isFailure(time)) return time;

  const priority = asInteger(own(alert, 'severity'));
  const signatureSeverity = asText(getField(alert, 'metadata.signature_severity'));
  const signatureId = asInteger(own(alert, 'signature_id'));
  const vendorSeverity = priority === null ? signatureSeverity : String(priority);

  return success({
    format: 'suricata',
    source: 'suricata',
    externalId: externalId(document, signatureId),
    title: signature,
    description: asText(own(alert, 'category')),
    // The rule's own malware family, when the ruleset says (Emerging Threats `malware_family`).
    threatName: asText(getField(alert, 'metadata.malware_family')),
    severityId: suricataSeverity(priority, signatureSeverity),
    vendorSeverity:
      priority !== null && signatureSeverity !== null
        ? `${vendorSeverity} (${signatureSeverity})`
        : vendorSeverity,
    time,
    ruleId: signatureId === null ? null : String(signatureId),
    ruleName: signature,
    ...attacks(alert),
    entities: entities(document),
    customFields: [],
    raw: input,
  });
}

/** `flow_id` as exact decimal digits, or with `exact: false` when a double already rounded it. */
export function flowIdDigits(value: unknown): { digits: string; exact: boolean } | null {
  if (typeof value === 'string') {
    const text = value.trim();
    if (!/^\d{1,20}$/.test(text)) return null;
    return { digits: BigInt(text).toString(), exact: true };
  }
  if (typeof value === 'bigint') return value >= 0n ? { digits: value.toString(), exact: true } : null;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    return Number.isSafeInteger(value)
      ? { digits: String(value), exact: true }
      : { digits: BigInt(value).toString(), exact: false };
  }
  return null;
}

/**
 * `flow_id:signature_id:tx_id`. The event timestamp is appended when that triple may not be unique
 * or exact: without a tx_id (packet and stream alerts can fire on several packets of one flow)
 * or when flow_id reached us as a rounded double (neighbouring flow ids collapse into one).
 */
function externalId(document: JsonRecord, signatureId: number | null): string | null {
  const flow = flowIdDigits(own(document, 'flow_id'));
  if (flow === null || signatureId === null) return null;
  const txId = asInteger(own(document, 'tx_id'));
  const base = `${flow.digits}:${signatureId}:${txId === null || txId < 0 ? '' : txId}`;
  if (flow.exact && txId !== null && txId >= 0) return base;
  const timestamp = asText(own(document, 'timestamp'));
  return timestamp === null ? base : `${base}:${timestamp}`;
}

function attacks(alert: JsonRecord): AttackTags {
  const collector = new AttackCollector();
  // Emerging Threats rule metadata, emitted by Suricata as arrays: names use underscores.
  const metadata = own(alert, 'metadata');
  const names = (key: string): string[] =>
    asTextList(own(metadata, key)).map((name) => name.replace(/_/g, ' '));
  collector.tacticLists(asTextList(own(metadata, 'mitre_tactic_id')), names('mitre_tactic_name'));
  collector.techniqueLists(asTextList(own(metadata, 'mitre_technique_id')), names('mitre_technique_name'));
  return collector.result();
}

function entities(document: JsonRecord): AlertEntity[] {
  const e = new EntityCollector();
  e.ip(own(document, 'src_ip'), 'source');
  e.ip(own(document, 'dest_ip'), 'destination');
  e.domain(getField(document, 'http.hostname'), 'destination');
  e.url(getField(document, 'http.url'), 'related');
  e.domain(getField(document, 'tls.sni'), 'destination');
  const dns = own(document, 'dns');
  e.domain(own(dns, 'rrname'), 'related');
  for (const query of [...asRecordList(own(dns, 'query')), ...asRecordList(own(dns, 'queries'))]) {
    e.domain(own(query, 'rrname'), 'related');
  }
  const fileinfo = own(document, 'fileinfo');
  e.fileHash(own(fileinfo, 'md5'));
  e.fileHash(own(fileinfo, 'sha1'));
  e.fileHash(own(fileinfo, 'sha256'));
  const cname = asText(getField(document, 'krb5.cname'));
  if (cname !== '<empty>') e.user(cname ?? undefined, 'actor');
  e.user(getField(document, 'smb.ntlmssp.user'), 'actor');
  // `host` is the sensor name from suricata.yaml: the observer, not a party to the traffic.
  e.host(own(document, 'host'), 'observer');
  return e.build();
}
