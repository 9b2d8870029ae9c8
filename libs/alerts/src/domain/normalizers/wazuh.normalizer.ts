import { EntityCollector } from '../entity-collector';
import {
  asInteger,
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
  invalid,
  isFailure,
  resolveTime,
  success,
  type NormalizeContext,
  type NormalizeResult,
} from '../normalize-result';
import type { AlertEntity } from '../normalized-alert';
import { wazuhSeverity } from '../severity';

// Wazuh (and OSSEC-era) alerts from alerts.json, the indexer, or integratord. Wazuh 2.x wrote
// decoded fields (srcip, srcuser, dstuser) at the top level; 3.x and later nest them under `data`.

/** A `rule` with a numeric `level`, plus the `agent` or `manager` that produced it. */
export function looksLikeWazuhAlert(input: unknown): boolean {
  const { document } = unwrapSearchHit(input);
  if (!isRecord(document)) return false;
  if (asInteger(own(own(document, 'rule'), 'level')) === null) return false;
  return isRecord(own(document, 'agent')) || isRecord(own(document, 'manager'));
}

export function normalizeWazuhAlert(input: unknown, context: NormalizeContext): NormalizeResult {
  const { document, hitId } = unwrapSearchHit(input);
  if (!isRecord(document)) return invalid('wazuh alert must be a JSON object');
  const rule = own(document, 'rule');
  if (!isRecord(rule)) return invalid('wazuh alert has no rule object', 'rule');
  const level = asInteger(own(rule, 'level'));
  if (level === null || level < 0)
    return invalid('wazuh rule.level must be an integer from 0 to 16', 'rule.level');

  const ruleId = asText(own(rule, 'id'));
  const description = asText(own(rule, 'description'));
  const title = description ?? (ruleId === null ? null : `Wazuh rule ${ruleId}`);
  if (title === null)
    return invalid('wazuh alert has neither rule.description nor rule.id', 'rule.description');

  const time = resolveTime(
    'wazuh',
    [
      { path: 'timestamp', value: own(document, 'timestamp') },
      { path: '@timestamp', value: own(document, '@timestamp') },
    ],
    context,
    'timestamp',
  );
  if (isFailure(time)) return time;

  return success({
    format: 'wazuh',
    source: 'wazuh',
    // The alert id is "<epoch>.<offset in alerts.json>"; older managers wrote it as a number.
    externalId: asText(own(document, 'id')) ?? hitId,
    title,
    description: asText(own(document, 'full_log')),
    threatName: null,
    severityId: wazuhSeverity(level),
    vendorSeverity: String(level),
    time,
    ruleId,
    ruleName: description,
    ...attacks(rule),
    entities: entities(document),
    customFields: [],
    raw: input,
  });
}

function attacks(rule: JsonRecord): AttackTags {
  const collector = new AttackCollector();
  const mitre = own(rule, 'mitre');
  // Wazuh 4 gives technique ids with a parallel list of technique names, and tactic names only.
  collector.techniqueLists(asTextList(own(mitre, 'id')), asTextList(own(mitre, 'technique')));
  for (const name of asTextList(own(mitre, 'tactic'))) collector.tactic(null, name);
  return collector.result();
}

function entities(document: JsonRecord): AlertEntity[] {
  const e = new EntityCollector();
  const data = own(document, 'data');
  const decoded = (key: string): unknown => own(data, key) ?? own(document, key);

  e.host(getField(document, 'agent.name'), 'related');
  e.hostAddress(getField(document, 'agent.ip'), 'related');
  e.ip(decoded('srcip'), 'source');
  e.ip(decoded('src_ip'), 'source');
  e.ip(decoded('dstip'), 'destination');
  e.ip(decoded('dst_ip'), 'destination');
  e.user(decoded('srcuser'), 'actor');
  e.user(decoded('dstuser'), 'target');
  e.user(decoded('user'), 'related');
  e.url(decoded('url'), 'related');

  // Windows event channel alerts.
  const eventData = getField(data, 'win.eventdata');
  e.host(getField(data, 'win.system.computer'), 'related');
  e.ip(own(eventData, 'ipAddress'), 'source');
  e.user(own(eventData, 'subjectUserName'), 'actor', own(eventData, 'subjectDomainName'));
  e.user(own(eventData, 'targetUserName'), 'target', own(eventData, 'targetDomainName'));
  e.process(own(eventData, 'image'), 'related');
  // Linux audit alerts: the login (audit) user is who did it, whatever account it became.
  e.process(getField(data, 'audit.exe'), 'related');
  e.user(getField(data, 'audit.acct'), 'actor');

  // File integrity (who-data): who changed the file, and with what.
  const syscheck = own(document, 'syscheck');
  const audit = own(syscheck, 'audit');
  // Linux gives the login user (who logged in, whatever sudo made them) apart from the audit and
  // effective users; Windows gives the audit user only. The file's owner (uname_after) is nobody's act.
  const loginUser = getField(audit, 'login_user.name');
  e.user(loginUser ?? getField(audit, 'user.name'), 'actor');
  if (loginUser !== undefined) e.user(getField(audit, 'user.name'), 'related');
  e.user(getField(audit, 'effective_user.name'), 'related');
  // "proccess" is how Wazuh's Windows who-data spells it.
  e.process(getField(audit, 'process.name') ?? getField(audit, 'proccess.name'), 'related');
  e.fileHash(own(syscheck, 'md5_after'));
  e.fileHash(own(syscheck, 'sha1_after'));
  e.fileHash(own(syscheck, 'sha256_after'));
  return e.build();
}
