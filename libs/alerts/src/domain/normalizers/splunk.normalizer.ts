import { EntityCollector } from '../entity-collector';
import {
  asText,
  asTextList,
  firstText,
  getField,
  isRecord,
  own,
  unwrapSearchHit,
  type JsonRecord,
} from '../field-access';
import { AttackCollector, type AttackTags } from '../mitre-attack';
import {
  invalid,
  isFailure,
  resolveTime,
  success,
  type NormalizeContext,
  type NormalizeResult,
  type TimeCandidate,
} from '../normalize-result';
import type { AlertEntity } from '../normalized-alert';
import { splunkSeverity } from '../severity';

// Three Splunk deliveries: an Enterprise Security notable event (from the notable index or the
// ES API), the payload of the built-in webhook alert action ({ result, sid, search_name, ... }),
// and a HEC envelope ({ time, host, source, sourcetype, event }) whose event is a notable or any
// other search result. Field names are Splunk CIM; every value arrives as a string (or an array
// of strings for multi-value fields).

type SplunkShape = 'webhook' | 'notable' | 'hec';

function shapeOf(document: unknown): SplunkShape | null {
  if (!isRecord(document)) return null;
  if (typeof own(document, 'sid') === 'string' && isRecord(own(document, 'result'))) return 'webhook';
  if (isNotable(document)) return 'notable';
  const event = own(document, 'event');
  if (!isRecord(event) && typeof event !== 'string') return null;
  if (typeof own(document, 'sourcetype') === 'string') return 'hec';
  const hasTime = own(document, 'time') !== undefined;
  return hasTime && (typeof own(document, 'host') === 'string' || typeof own(document, 'source') === 'string')
    ? 'hec'
    : null;
}

function isNotable(document: JsonRecord): boolean {
  const eventId = own(document, 'event_id');
  if (typeof eventId === 'string' && eventId.includes('@@notable@@')) return true;
  return typeof own(document, 'search_name') === 'string' && own(document, '_time') !== undefined;
}

/**
 * A notable (`event_id` containing "@@notable@@", or `search_name` with `_time`), a webhook
 * payload (`sid` with a `result` object), or a HEC envelope (`event` with `sourcetype`, or with
 * `time` and `host`/`source`).
 */
export function looksLikeSplunkAlert(input: unknown): boolean {
  return shapeOf(unwrapSearchHit(input).document) !== null;
}

export function normalizeSplunkAlert(input: unknown, context: NormalizeContext): NormalizeResult {
  const { document } = unwrapSearchHit(input);
  if (!isRecord(document)) return invalid('splunk alert must be a JSON object');
  switch (shapeOf(document)) {
    case 'webhook':
      return webhook(document, input, context);
    case 'notable':
      return notable(document, [], input, context);
    case 'hec': {
      const event = own(document, 'event');
      const envelopeTime: TimeCandidate[] = [{ path: 'time', value: own(document, 'time') }];
      if (isRecord(event) && isNotable(event)) return notable(event, envelopeTime, input, context);
      return hecEvent(document, event, input, context);
    }
    default:
      return invalid(
        'splunk alert must be a notable (event_id or search_name with _time), a webhook payload (sid and result) or a HEC envelope (event)',
        'event_id',
      );
  }
}

function notable(
  row: JsonRecord,
  fallbackTimes: TimeCandidate[],
  raw: unknown,
  context: NormalizeContext,
): NormalizeResult {
  const title = firstText(row, ['rule_title', 'rule_name', 'search_name', 'source']);
  if (title === null)
    return invalid('splunk notable has no rule_title, rule_name or search_name', 'rule_title');
  // orig_time is the contributing event's time; _time is when the correlation search wrote the notable.
  const time = resolveTime(
    'splunk',
    [
      { path: 'orig_time', value: own(row, 'orig_time') },
      { path: '_time', value: own(row, '_time') },
      ...fallbackTimes,
    ],
    context,
    '_time',
  );
  if (isFailure(time)) return time;
  return fromResultRow(row, raw, {
    externalId: asText(own(row, 'event_id')),
    title,
    time,
    // ES copies event_id into rule_id; the correlation search's name is the rule's stable identity.
    ruleId: firstText(row, ['search_name', 'source']),
    ruleName: firstText(row, ['rule_name', 'search_name']),
    entities: cimEntities(row, null),
  });
}

function webhook(payload: JsonRecord, raw: unknown, context: NormalizeContext): NormalizeResult {
  const result = own(payload, 'result') as JsonRecord;
  const sid = asText(own(payload, 'sid'));
  if (sid === null) return invalid('splunk webhook payload has no sid', 'sid');
  // search_name is null for ad hoc searches.
  const searchName = asText(own(payload, 'search_name')) ?? firstText(result, ['search_name']);
  const title = searchName ?? firstText(result, ['rule_title', 'rule_name']) ?? `Splunk search ${sid}`;
  const time = resolveTime('splunk', [{ path: 'result._time', value: own(result, '_time') }], context);
  if (isFailure(time)) return time;
  return fromResultRow(result, raw, {
    externalId: sid,
    title,
    time,
    ruleId: searchName,
    ruleName: searchName,
    entities: cimEntities(result, null),
  });
}

function hecEvent(
  envelope: JsonRecord,
  event: unknown,
  raw: unknown,
  context: NormalizeContext,
): NormalizeResult {
  const row: JsonRecord = isRecord(event) ? event : {};
  const title =
    firstText(row, ['rule_title', 'rule_name', 'search_name', 'signature', 'title', 'name', 'message']) ??
    firstText(envelope, ['source', 'sourcetype']);
  if (title === null)
    return invalid(
      'splunk HEC event has no title field (event.rule_title, event.signature, source...)',
      'event',
    );
  const time = resolveTime(
    'splunk',
    [
      { path: 'time', value: own(envelope, 'time') },
      { path: 'event._time', value: own(row, '_time') },
    ],
    context,
    'time',
  );
  if (isFailure(time)) return time;
  return fromResultRow(row, raw, {
    externalId: asText(own(row, 'event_id')),
    title,
    time,
    ruleId: asText(own(row, 'search_name')),
    ruleName: firstText(row, ['rule_name', 'search_name']),
    entities: cimEntities(row, own(envelope, 'host')),
  });
}

/** What every Splunk shape reads the same way from its result row: description, severity, ATT&CK. */
function fromResultRow(
  row: JsonRecord,
  raw: unknown,
  fields: {
    externalId: string | null;
    title: string;
    time: Date;
    ruleId: string | null;
    ruleName: string | null;
    entities: AlertEntity[];
  },
): NormalizeResult {
  const severity = firstText(row, ['urgency', 'severity']);
  return success({
    format: 'splunk',
    source: 'splunk',
    ...fields,
    description: firstText(row, ['rule_description', 'description']),
    severityId: splunkSeverity(severity),
    vendorSeverity: severity,
    ...attacks(row),
    raw,
  });
}

function attacks(row: JsonRecord): AttackTags {
  const collector = new AttackCollector();
  // ES 7 annotations; tactics come as ids or as ATT&CK short names ("initial-access").
  for (const id of asTextList(getField(row, 'annotations.mitre_attack.mitre_tactic_id')))
    collector.tactic(id, null);
  for (const name of asTextList(getField(row, 'annotations.mitre_attack.mitre_tactic')))
    collector.tactic(null, name);
  const techniques = getField(row, 'annotations.mitre_attack');
  if (Array.isArray(techniques)) for (const id of asTextList(techniques)) collector.technique(id, null);
  for (const id of asTextList(getField(row, 'annotations.mitre_attack.mitre_technique_id')))
    collector.technique(id, null);
  return collector.result();
}

function cimEntities(row: JsonRecord, envelopeHost: unknown): AlertEntity[] {
  const e = new EntityCollector();
  const field = (key: string): unknown => own(row, key);
  // `src` and `dest` hold an address or a host name; host() records an address as an IP.
  e.host(field('src'), 'source');
  e.ip(field('src_ip'), 'source');
  e.host(field('src_host'), 'source');
  e.host(field('src_nt_host'), 'source');
  e.host(field('src_dns'), 'source');
  e.host(field('dest'), 'destination');
  e.ip(field('dest_ip'), 'destination');
  e.host(field('dest_host'), 'destination');
  e.host(field('dest_nt_host'), 'destination');
  e.host(field('dest_dns'), 'destination');
  e.host(field('orig_host'), 'related');
  e.host(envelopeHost, 'observer');
  // CIM `user` is the actor in some data models and the target in others.
  e.user(field('src_user'), 'actor');
  e.user(field('dest_user'), 'target');
  e.user(field('target_user'), 'target');
  e.user(field('user'), 'related');
  e.fileHash(field('file_hash'));
  e.url(field('url'), 'related');
  e.process(field('process_path') ?? field('process_name'), 'related');
  return e.build();
}
