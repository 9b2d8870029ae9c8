import { EntityCollector } from '../entity-collector';
import {
  asNumber,
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
  sourceSlug,
  success,
  type NormalizeContext,
  type NormalizeResult,
} from '../normalize-result';
import type { AlertEntity } from '../normalized-alert';
import { elasticSeverity } from '../severity';

// Elastic Security alerts as stored in `.alerts-security.alerts-*` (8.x, `kibana.alert.*`) or the
// legacy `.siem-signals-*` (7.x, `signal.*`), and ECS alert documents written by an endpoint or
// an integration (Elastic Defend's `logs-endpoint.alerts-*`, `event.kind: alert`, with
// `rule.name`, `message` and `threat.*`), bare or as an exported search hit. `_source` mixes
// flat dotted keys with nested objects, so every read goes through getField.

const RULE_NAME_PATHS = ['kibana.alert.rule.name', 'signal.rule.name'] as const;

/**
 * Kibana detection alert (a `kibana.alert.*` rule name or uuid, or `event.kind: signal`) or an
 * ECS alert document (`event.kind: alert`).
 */
export function looksLikeElasticAlert(input: unknown): boolean {
  const { document } = unwrapSearchHit(input);
  if (!isRecord(document)) return false;
  if (getField(document, 'kibana.alert.rule.name') !== undefined) return true;
  if (getField(document, 'kibana.alert.uuid') !== undefined) return true;
  const kind = asText(getField(document, 'event.kind'));
  return kind === 'signal' || kind === 'alert';
}

export function normalizeElasticAlert(input: unknown, context: NormalizeContext): NormalizeResult {
  const { document, hitId } = unwrapSearchHit(input);
  if (!isRecord(document))
    return invalid('elastic alert must be a JSON object (or a search hit with _source)');

  // An ECS alert is titled as Kibana's endpoint rules title it (rule_name_override: message):
  // "Malicious Behavior Detection Alert: <rule>", the kind of protection and the rule in one.
  const title = firstText(document, RULE_NAME_PATHS) ?? ecsTitle(document);
  if (title === null)
    return invalid(
      'elastic alert has no rule name (kibana.alert.rule.name, or rule.name / message for an ECS alert)',
      'kibana.alert.rule.name',
    );

  const time = resolveTime(
    'elastic',
    [
      { path: 'kibana.alert.original_time', value: getField(document, 'kibana.alert.original_time') },
      { path: 'signal.original_time', value: getField(document, 'signal.original_time') },
      { path: '@timestamp', value: getField(document, '@timestamp') },
    ],
    context,
    '@timestamp',
  );
  if (isFailure(time)) return time;

  const label = firstText(document, ['kibana.alert.severity', 'signal.rule.severity']);
  const riskScore = asNumber(
    getField(document, 'kibana.alert.risk_score') ??
      getField(document, 'signal.rule.risk_score') ??
      getField(document, 'event.risk_score'),
  );
  const eventSeverity = asNumber(getField(document, 'event.severity'));
  const kibanaRule = firstText(document, RULE_NAME_PATHS);
  const description = firstText(document, [
    'kibana.alert.reason',
    'signal.reason',
    'kibana.alert.rule.description',
    'signal.rule.description',
    'rule.description',
  ]);

  return success({
    format: 'elastic',
    source: elasticSource(document),
    externalId:
      asText(getField(document, 'kibana.alert.uuid')) ?? asText(getField(document, 'event.id')) ?? hitId,
    title,
    description:
      description ??
      (title === asText(getField(document, 'message')) ? null : firstText(document, ['message'])),
    threatName: firstText(document, THREAT_NAME_PATHS),
    severityId: elasticSeverity(label, riskScore, eventSeverity),
    vendorSeverity:
      label ??
      (riskScore === null ? (eventSeverity === null ? null : String(eventSeverity)) : String(riskScore)),
    time,
    ruleId: firstText(document, [
      'kibana.alert.rule.rule_id',
      'kibana.alert.rule.uuid',
      'signal.rule.rule_id',
      'signal.rule.id',
      'rule.id',
      'rule.uuid',
    ]),
    ruleName: kibanaRule ?? firstText(document, ['rule.name']) ?? title,
    ...attacks(document),
    entities: entities(document),
    customFields: [],
    raw: input,
  });
}

/**
 * An ECS alert's message when it reads as a title (one short line), else the rule's name, else
 * the message's first line: integrations put a whole description in `message` at times.
 */
function ecsTitle(document: JsonRecord): string | null {
  const message = firstText(document, ['message']);
  if (message !== null && message.length <= 160 && !message.includes('\n')) return message;
  const rule = firstText(document, ['rule.name']);
  if (rule !== null) return rule;
  if (message === null) return firstText(document, ['event.action']);
  const firstLine = (message.split('\n')[0] ?? message).trim();
  return firstLine.length > 200 ? `${firstLine.slice(0, 199)}…` : firstLine;
}

// Elastic Agent inputs that pull alerts from a vendor's API rather than read the host's own logs.
const API_INPUTS = new Set([
  'httpjson',
  'cel',
  'http_endpoint',
  'aws-s3',
  'azure-eventhub',
  'gcp-pubsub',
  'kafka',
]);

// The malware or threat the product named: ECS threat.software, Elastic Defend's malware
// signature (file or memory), or the threat indicator that matched.
const THREAT_NAME_PATHS = [
  'threat.software.name',
  'file.Ext.malware_signature.primary.signature.name',
  'process.Ext.malware_signature.primary.signature.name',
  'Memory_protection.feature',
  'threat.indicator.name',
] as const;

/**
 * `elastic` for Kibana detection alerts; for ECS alerts of an integration, the integration that
 * wrote them (`elastic:endpoint` for Elastic Defend, `elastic:microsoft_defender_endpoint`...),
 * so that identities of different products never collide.
 */
function elasticSource(document: JsonRecord): string {
  if (asText(getField(document, 'kibana.alert.uuid')) !== null) return 'elastic';
  if (firstText(document, RULE_NAME_PATHS) !== null) return 'elastic';
  const dataset = firstText(document, ['event.module', 'event.dataset', 'data_stream.dataset']);
  if (dataset === null) return 'elastic';
  return `elastic:${sourceSlug(dataset.split('.')[0] ?? dataset)}`;
}

function attacks(document: JsonRecord): AttackTags {
  const collector = new AttackCollector();
  const ruleThreats =
    getField(document, 'kibana.alert.rule.threat') ?? getField(document, 'signal.rule.threat');
  // Elastic Defend writes ECS `threat` as a list of the same {framework, tactic, technique} blocks.
  const ecsThreats = Array.isArray(getField(document, 'threat')) ? getField(document, 'threat') : [];
  for (const threat of [...asRecordList(ruleThreats), ...asRecordList(ecsThreats)]) {
    const framework = asText(own(threat, 'framework'));
    if (framework !== null && !/att&ck|attack/i.test(framework)) continue;
    const tactic = own(threat, 'tactic');
    collector.tactic(asText(own(tactic, 'id')), asText(own(tactic, 'name')));
    for (const technique of asRecordList(own(threat, 'technique'))) {
      collector.technique(asText(own(technique, 'id')), asText(own(technique, 'name')));
      for (const sub of asRecordList(own(technique, 'subtechnique'))) {
        collector.technique(asText(own(sub, 'id')), asText(own(sub, 'name')));
      }
    }
  }
  // ECS `threat.*` as one object of parallel arrays, paired only when their lengths agree; a
  // vendor's own framework (CrowdStrike's CSTA/CST ids) is not ATT&CK.
  const framework = asText(getField(document, 'threat.framework'));
  if (framework !== null && !/att&ck|attack/i.test(framework)) return collector.result();
  collector.tacticLists(
    asTextList(getField(document, 'threat.tactic.id')),
    asTextList(getField(document, 'threat.tactic.name')),
  );
  collector.techniqueLists(
    asTextList(getField(document, 'threat.technique.id')),
    asTextList(getField(document, 'threat.technique.name')),
  );
  for (const id of asTextList(getField(document, 'threat.technique.subtechnique.id')))
    collector.technique(id, null);
  return collector.result();
}

function entities(document: JsonRecord): AlertEntity[] {
  const e = new EntityCollector();
  const field = (path: string): unknown => getField(document, path);

  // agent.name is the shipper's name, which defaults to the host name: a fallback only, or every
  // alert would carry the same host twice ("dc01" and "dc01.lab.local"); and never for an
  // integration that pulls alerts from a vendor's API, where the agent is the collector.
  const pulled = API_INPUTS.has(asText(field('input.type')) ?? '');
  e.host(
    field('host.name') ?? field('host.hostname') ?? (pulled ? undefined : field('agent.name')),
    'related',
  );
  // The machine's own addresses: what a network sensor (Suricata, a firewall) knows it by.
  e.hostAddress(field('host.ip'), 'related');
  e.ip(field('source.ip'), 'source');
  e.ip(field('client.ip'), 'source');
  e.ip(field('destination.ip'), 'destination');
  e.ip(field('server.ip'), 'destination');
  e.domain(field('source.domain'), 'source');
  e.domain(field('destination.domain'), 'destination');
  e.domain(field('url.domain'), 'destination');
  e.domain(field('dns.question.name'), 'related');
  // ECS: root `user.*` is the actor; `user.target.*` and `destination.user.*` the target.
  e.user(field('user.name'), 'actor', field('user.domain'));
  e.user(field('source.user.name'), 'actor', field('source.user.domain'));
  e.user(field('user.target.name'), 'target', field('user.target.domain'));
  e.user(field('destination.user.name'), 'target', field('destination.user.domain'));
  e.process(field('process.executable') ?? field('process.name'), 'related');
  for (const algorithm of ['md5', 'sha1', 'sha256']) {
    e.fileHash(field(`file.hash.${algorithm}`));
    e.fileHash(field(`process.hash.${algorithm}`));
    e.fileHash(field(`dll.hash.${algorithm}`));
  }
  e.url(field('url.full') ?? field('url.original'), 'related');
  // ECS `related.*` exists for pivoting; entries already seen with a role are dropped by build().
  // Integrations fill related.hosts with whatever names they meet (OS names, tenants), which would
  // join unrelated alerts: it is read for Kibana detection alerts only.
  e.hostAddress(field('related.ip'), 'related');
  e.user(field('related.user'), 'related');
  if (!pulled) e.host(field('related.hosts'), 'related');
  e.fileHash(field('related.hash'));
  return e.build();
}
