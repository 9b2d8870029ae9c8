import { EntityCollector } from '../entity-collector';
import {
  asInteger,
  asRecordList,
  asText,
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
  sourceSlug,
  success,
  type NormalizeContext,
  type NormalizeResult,
} from '../normalize-result';
import type { AlertEntity } from '../normalized-alert';
import { ocsfSeverity } from '../severity';

// OCSF Detection Finding (class_uid 2004, `finding_info`) and the deprecated Security Finding
// (2001, `finding`). Keyed on class_uid alone: real producers misspell class_name
// ("Detection Findings" in Okta's sample) and misstate metadata.version (QRadar's "7.5.0").

const DETECTION_FINDING = 2004;
const SECURITY_FINDING = 2001;

// OCSF observable type_ids worth an entity. User Name (4) is left out on purpose: producers list
// the analysts an offense is assigned to or closed by as User Name observables (QRadar's mapping
// does), and those are not participants in the detected activity.
const OBSERVABLE_HOSTNAME = 1;
const OBSERVABLE_IP = 2;
const OBSERVABLE_URL = 6;
const OBSERVABLE_HASH = 8;

function classUid(document: unknown): number | null {
  return asInteger(own(document, 'class_uid'));
}

export function looksLikeOcsfFinding(input: unknown): boolean {
  const uid = classUid(unwrapSearchHit(input).document);
  return uid === DETECTION_FINDING || uid === SECURITY_FINDING;
}

export function normalizeOcsfFinding(input: unknown, context: NormalizeContext): NormalizeResult {
  const { document } = unwrapSearchHit(input);
  if (!isRecord(document)) return invalid('ocsf finding must be a JSON object');
  const uid = classUid(document);
  if (uid !== DETECTION_FINDING && uid !== SECURITY_FINDING) {
    return invalid(
      `ocsf class_uid must be 2004 (Detection Finding) or 2001 (Security Finding), got ${String(own(document, 'class_uid') ?? 'nothing')}`,
      'class_uid',
    );
  }

  // 2004 requires finding_info; 2001 used `finding`. Accept either under either class: producers
  // moving between OCSF versions mix them.
  const infoKey = uid === DETECTION_FINDING ? 'finding_info' : 'finding';
  const info =
    own(document, infoKey) ?? own(document, uid === DETECTION_FINDING ? 'finding' : 'finding_info');
  if (!isRecord(info)) return invalid(`ocsf ${uid} finding has no ${infoKey} object`, infoKey);

  const title = firstText(info, ['title', 'analytic.name']) ?? firstText(document, ['message']);
  if (title === null) return invalid(`ocsf finding has no title (${infoKey}.title)`, `${infoKey}.title`);

  const time = resolveTime(
    'ocsf',
    [
      { path: 'time', value: own(document, 'time') },
      { path: 'time_dt', value: own(document, 'time_dt') },
      { path: `${infoKey}.created_time`, value: own(info, 'created_time') },
    ],
    context,
    'time',
  );
  if (isFailure(time)) return time;

  const label = asText(own(document, 'severity'));
  const severityIdValue = asInteger(own(document, 'severity_id'));
  const product = firstText(document, ['metadata.product.name', 'metadata.product.vendor_name']);
  const analytic = ruleAnalytic(own(info, 'analytic') ?? own(document, 'analytic'));

  return success({
    format: 'ocsf',
    source: product === null ? 'ocsf' : `ocsf:${sourceSlug(product)}`,
    externalId: asText(own(info, 'uid')) ?? firstText(document, ['metadata.uid']),
    title,
    description: asText(own(info, 'desc')) ?? asText(own(document, 'message')),
    threatName: threatName(document),
    severityId: ocsfSeverity(severityIdValue, label),
    vendorSeverity: label ?? (severityIdValue === null ? null : String(severityIdValue)),
    time,
    ruleId: asText(own(analytic, 'uid')),
    ruleName: asText(own(analytic, 'name')),
    ...attacks(document, info),
    entities: entities(document),
    customFields: [],
    raw: input,
  });
}

/**
 * The analytic that names the rule: the finding's own when it has a uid, else its first related
 * analytic with one (QRadar reports the engine, "Custom Rule Engine", and the rule as related).
 */
function ruleAnalytic(analytic: unknown): unknown {
  if (asText(own(analytic, 'uid')) !== null) return analytic;
  const related = asRecordList(own(analytic, 'related_analytics')).find(
    (item) => asText(own(item, 'uid')) !== null,
  );
  return related ?? analytic;
}

function attacks(document: JsonRecord, info: JsonRecord): AttackTags {
  const collector = new AttackCollector();
  // 1.1+ puts attacks under finding_info; 1.0 and 2001 at the top level.
  for (const attack of [...asRecordList(own(info, 'attacks')), ...asRecordList(own(document, 'attacks'))]) {
    const tactic = own(attack, 'tactic');
    collector.tactic(asText(own(tactic, 'uid')), asText(own(tactic, 'name')));
    for (const older of asRecordList(own(attack, 'tactics'))) {
      collector.tactic(asText(own(older, 'uid')), asText(own(older, 'name')));
    }
    const technique = own(attack, 'technique');
    collector.technique(asText(own(technique, 'uid')), asText(own(technique, 'name')));
    const sub = own(attack, 'sub_technique');
    collector.technique(asText(own(sub, 'uid')), asText(own(sub, 'name')));
  }
  return collector.result();
}

function entities(document: JsonRecord): AlertEntity[] {
  const e = new EntityCollector();
  endpoints(e, document);
  e.host(getField(document, 'device.hostname') ?? getField(document, 'device.name'), 'related');
  e.ip(getField(document, 'device.ip'), 'related');
  e.user(getField(document, 'user.name'), 'target', getField(document, 'user.domain'));

  for (const evidence of asRecordList(own(document, 'evidences'))) {
    endpoints(e, evidence);
    e.user(getField(evidence, 'user.name'), 'target', getField(evidence, 'user.domain'));
    e.host(getField(evidence, 'device.hostname'), 'related');
    e.ip(getField(evidence, 'device.ip'), 'related');
    e.domain(getField(evidence, 'query.hostname'), 'related');
    e.url(getField(evidence, 'url.url_string'), 'related');
    fileHashes(e, own(evidence, 'file'));
    fileHashes(e, getField(evidence, 'process.file'));
  }

  for (const observable of asRecordList(own(document, 'observables'))) {
    const value = own(observable, 'value');
    switch (asInteger(own(observable, 'type_id'))) {
      case OBSERVABLE_HOSTNAME:
        e.host(value, 'related');
        break;
      case OBSERVABLE_IP:
        e.ip(value, 'related');
        break;
      case OBSERVABLE_URL:
        e.url(value, 'related');
        break;
      case OBSERVABLE_HASH:
        e.fileHash(value);
        break;
      default:
        break;
    }
  }
  return e.build();
}

/** src_endpoint/dst_endpoint, actor and process of the finding or of one evidence. */
function endpoints(e: EntityCollector, node: JsonRecord): void {
  e.ip(getField(node, 'src_endpoint.ip'), 'source');
  e.host(getField(node, 'src_endpoint.hostname'), 'source');
  e.ip(getField(node, 'dst_endpoint.ip'), 'destination');
  e.host(getField(node, 'dst_endpoint.hostname'), 'destination');
  e.user(getField(node, 'actor.user.name'), 'actor', getField(node, 'actor.user.domain'));
  e.process(getField(node, 'actor.process.file.path') ?? getField(node, 'actor.process.name'), 'related');
  e.process(getField(node, 'process.file.path') ?? getField(node, 'process.name'), 'related');
}

/** OCSF 2004 `malware[]` names what was found; a 2001 finding may name it in `malware` too. */
function threatName(document: JsonRecord): string | null {
  for (const malware of asRecordList(own(document, 'malware'))) {
    const name = asText(own(malware, 'name'));
    if (name !== null) return name;
  }
  return null;
}

function fileHashes(e: EntityCollector, file: unknown): void {
  for (const hash of asRecordList(own(file, 'hashes'))) e.fileHash(own(hash, 'value'));
}
