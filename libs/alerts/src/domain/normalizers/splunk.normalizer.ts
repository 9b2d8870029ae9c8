import { createHash } from 'node:crypto';

import { canonicalJson } from '../canonical-json';
import { EntityCollector } from '../entity-collector';
import {
  asRecordList,
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

// Splunk delivers alerts in four shapes:
// - an Enterprise Security notable as the ES API gives it (`event_id` "...@@notable@@...");
// - a notable as a search of the `notable` index returns it (what a tool polling Splunk gets):
//   no event_id, the correlation search's name only inside `_raw` (search_name="..."), the rule
//   in `source` / `rule_name` / `rule_title`;
// - the payload of the webhook alert action ({ result, sid, search_name, results_link, ... }),
//   or of an alert action that forwards every row ({ results: [...], sid, ... });
// - a HEC envelope ({ time, host, source, sourcetype, event }) whose event is a notable, an
//   alert (`alert_name`, `id`) or any other search result.
// Field names are Splunk CIM; every value arrives as a string (or an array of strings for
// multi-value fields).

type SplunkShape = 'webhook' | 'notable' | 'hec';

/** How much of `_raw` is read for key="value" pairs: notables keep it short; a hostile one is cut. */
const MAX_RAW_SCAN = 8192;

function shapeOf(document: unknown): SplunkShape | null {
  if (!isRecord(document)) return null;
  if (
    typeof own(document, 'sid') === 'string' &&
    (isRecord(own(document, 'result')) || Array.isArray(own(document, 'results')))
  )
    return 'webhook';
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
  if (own(document, '_time') === undefined) return false;
  if (typeof own(document, 'search_name') === 'string') return true;
  // A row of `index=notable`: the index says so, and correlation searches write as `stash`.
  return asText(own(document, 'index')) === 'notable' && typeof own(document, 'source') === 'string';
}

/**
 * A notable (`event_id` containing "@@notable@@", `search_name` with `_time`, or a row of the
 * notable index), a webhook payload (`sid` with a `result` object or a `results` array), or a HEC
 * envelope (`event` with `sourcetype`, or with `time` and `host`/`source`).
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
        'splunk alert must be a notable (event_id, search_name or index=notable with _time), a webhook payload (sid and result or results) or a HEC envelope (event)',
        'event_id',
      );
  }
}

/**
 * A row's fields, with those only written inside `_raw` (a notable's search_name, the source
 * event's src, user, file_hash...) filled in from its key="value" pairs. The row's own win.
 */
function withRawFields(row: JsonRecord): JsonRecord {
  const raw = own(row, '_raw');
  if (typeof raw !== 'string') return row;
  const fromRaw: JsonRecord = {};
  const pair = /(?:^|[\s,])([A-Za-z_][\w.]{0,63})=(?:"((?:[^"\\]|\\.){0,1024}?)"|'([^']{0,1024}?)')/g;
  const text = raw.slice(0, MAX_RAW_SCAN);
  for (let match = pair.exec(text); match !== null; match = pair.exec(text)) {
    const key = match[1] as string;
    const value = (match[2] ?? match[3] ?? '').replace(/\\(["\\])/g, '$1');
    if (!Object.prototype.hasOwnProperty.call(fromRaw, key)) fromRaw[key] = value;
  }
  return { ...fromRaw, ...row };
}

/** A rule title with an unexpanded `$token$` (ES expands them only in its own UI) is not a title. */
function expandedText(row: JsonRecord, keys: readonly string[]): string | null {
  for (const key of keys) {
    const text = asText(own(row, key));
    if (text !== null && !/\$[\w.]+\$/.test(text)) return text;
  }
  return null;
}

function notable(
  original: JsonRecord,
  fallbackTimes: TimeCandidate[],
  raw: unknown,
  context: NormalizeContext,
): NormalizeResult {
  const row = withRawFields(original);
  const title = expandedText(row, ['rule_title', 'rule_name', 'search_name', 'source']);
  if (title === null)
    return invalid('splunk notable has no rule_title, rule_name, search_name or source', 'rule_title');
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
  return fromResultRows([row], raw, {
    // A row of the notable index has no event_id: identity falls back to its content.
    externalId: asText(own(row, 'event_id')),
    title,
    time,
    // ES copies event_id into rule_id; the correlation search's name is the rule's stable identity.
    ruleId: firstText(row, ['search_name', 'source']),
    ruleName: firstText(row, ['rule_name', 'search_name', 'source']),
    // In a notable, `host` is the search head that wrote it.
    entities: cimEntities([row], null, 'observer'),
  });
}

function webhook(payload: JsonRecord, raw: unknown, context: NormalizeContext): NormalizeResult {
  const rows = [...asRecordList(own(payload, 'result')), ...asRecordList(own(payload, 'results'))].map(
    withRawFields,
  );
  const sid = asText(own(payload, 'sid'));
  if (sid === null) return invalid('splunk webhook payload has no sid', 'sid');
  const first = rows[0] ?? {};
  // search_name is null for ad hoc searches.
  const searchName = asText(own(payload, 'search_name')) ?? firstText(first, ['search_name']);
  const title =
    searchName ?? expandedText(first, ['rule_title', 'rule_name', 'alert_name']) ?? `Splunk search ${sid}`;
  const time = resolveTime(
    'splunk',
    rows.map((row, index) => ({ path: `results[${index}]._time`, value: own(row, '_time') })),
    context,
    'result._time',
  );
  if (isFailure(time)) return time;
  return fromResultRows(rows, raw, {
    // "For each result" sends one webhook per row, all with the search's sid: the rows' content
    // tells them apart, and the same row delivered twice keeps one id.
    externalId: `${sid}:${rowsDigest(rows)}`,
    title,
    time,
    ruleId: searchName,
    ruleName: searchName,
    entities: cimEntities(rows, null, 'related'),
  });
}

function rowsDigest(rows: readonly JsonRecord[]): string {
  return createHash('sha256').update(canonicalJson(rows)).digest('hex').slice(0, 32);
}

function hecEvent(
  envelope: JsonRecord,
  event: unknown,
  raw: unknown,
  context: NormalizeContext,
): NormalizeResult {
  const row: JsonRecord = isRecord(event) ? withRawFields(event) : {};
  const eventText = typeof event === 'string' ? asText(event) : null;
  const title =
    expandedText(row, [
      'alert_name',
      'rule_title',
      'rule_name',
      'search_name',
      'signature',
      'title',
      'name',
      'event_type',
    ]) ??
    firstText(row, ['message']) ??
    firstText(envelope, ['source']) ??
    (eventText === null ? null : eventText.slice(0, 256)) ??
    firstText(envelope, ['sourcetype']);
  if (title === null)
    return invalid(
      'splunk HEC event has no title field (event.alert_name, event.rule_title, event.signature, source...)',
      'event',
    );
  const time = resolveTime(
    'splunk',
    [
      { path: 'time', value: own(envelope, 'time') },
      { path: 'event._time', value: own(row, '_time') },
      { path: 'event.time', value: own(row, 'time') },
    ],
    context,
    'time',
  );
  if (isFailure(time)) return time;
  return fromResultRows([row], raw, {
    externalId: firstText(row, ['event_id', 'id', 'alert_id']),
    title,
    time,
    ruleId: firstText(row, ['search_name', 'rule_id']),
    ruleName: firstText(row, ['rule_name', 'search_name', 'alert_name']),
    entities: cimEntities([row], own(envelope, 'host'), 'related'),
  });
}

/** What every Splunk shape reads the same way from its result rows: description, severity, ATT&CK. */
function fromResultRows(
  rows: readonly JsonRecord[],
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
  const first = rows[0] ?? {};
  const severity = firstText(first, ['urgency', 'severity', 'priority']);
  // CIM `signature` names the malware or IDS signature in threat, endpoint and network data, but
  // only describes the event in access, identity and audit data.
  const domain = asText(own(first, 'security_domain'))?.toLowerCase() ?? '';
  const threatName =
    firstText(first, ['threat_name', 'malware_name']) ??
    (['access', 'identity', 'audit'].includes(domain) ? null : firstText(first, ['signature', 'signatures']));
  return success({
    format: 'splunk',
    source: 'splunk',
    ...fields,
    description: firstText(first, ['rule_description', 'description', 'savedsearch_description']),
    threatName: threatName === fields.title ? null : threatName,
    severityId: splunkSeverity(severity),
    vendorSeverity: severity,
    ...attacks(rows),
    customFields: [],
    raw,
  });
}

function attacks(rows: readonly JsonRecord[]): AttackTags {
  const collector = new AttackCollector();
  for (const row of rows) {
    // ES 7 annotations; tactics come as ids or as ATT&CK short names ("initial-access").
    for (const id of asTextList(getField(row, 'annotations.mitre_attack.mitre_tactic_id')))
      collector.tactic(id, null);
    for (const name of asTextList(getField(row, 'annotations.mitre_attack.mitre_tactic')))
      collector.tactic(null, name);
    const techniques = getField(row, 'annotations.mitre_attack');
    if (Array.isArray(techniques)) for (const id of asTextList(techniques)) collector.technique(id, null);
    for (const id of asTextList(getField(row, 'annotations.mitre_attack.mitre_technique_id')))
      collector.technique(id, null);
  }
  return collector.result();
}

/**
 * CIM fields of every row. `host` is the event's host in a search result, but the search head
 * in a notable (`hostRole` says which); the HEC envelope's host is the sender (observer).
 */
function cimEntities(
  rows: readonly JsonRecord[],
  envelopeHost: unknown,
  hostRole: 'related' | 'observer',
): AlertEntity[] {
  const e = new EntityCollector();
  for (const row of rows) {
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
    e.host(field('dvc'), 'observer');
    e.host(field('host'), hostRole);
    // CIM `user` is the actor in some data models and the target in others.
    e.user(field('src_user'), 'actor', field('src_user_domain'));
    e.user(field('dest_user'), 'target');
    e.user(field('target_user'), 'target');
    e.user(field('user'), 'related', field('user_domain'));
    e.fileHash(field('file_hash'));
    e.url(field('url'), 'related');
    e.process(field('process_path') ?? field('process_name'), 'related');
  }
  e.host(envelopeHost, 'observer');
  return e.build();
}
