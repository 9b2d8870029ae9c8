import { createHash } from 'node:crypto';

import { tacticById } from '../mitre-attack';
import type { AlertFormat, SeverityName } from '../normalized-alert';

/** What a generated alert should normalize to. */
export interface SampleAlertSpec {
  /** Becomes the alert's external id (see {@link sampleExternalId} for Suricata and CEF). */
  id: string;
  time: Date;
  /**
   * A host name: normalizes to a `host` entity, role `related` (CEF: `destination`, as `dhost`;
   * Suricata: `observer`, as the sensor name, since EVE names no other host).
   */
  host?: string;
  /** Normalizes to an `ip` entity with role `source`. */
  srcIp?: string;
  /** Normalizes to an `ip` entity with role `destination`. */
  dstIp?: string;
  /** Normalizes to a `user` entity with role `actor`. */
  user?: string;
  /** Defaults to medium. */
  severity?: SeverityName;
  /** An Enterprise tactic id such as TA0001; throws for one that is not in the table. */
  tacticId?: string;
  title?: string;
}

const SAMPLE_SIGNATURE_ID = 9_000_001;
const SAMPLE_TX_ID = 0;

/**
 * An alert in the native shape of `format` (a JSON-ready object, or a string for CEF) that
 * normalizes to exactly the spec's entities, severity, tactic, title, time and
 * {@link sampleExternalId}. For load tests and the demo; pure and deterministic.
 */
export function buildSampleAlert(format: AlertFormat, spec: SampleAlertSpec): unknown {
  switch (format) {
    case 'elastic':
      return elastic(spec);
    case 'ocsf':
      return ocsf(spec);
    case 'wazuh':
      return wazuh(spec);
    case 'suricata':
      return suricata(spec);
    case 'splunk':
      return splunk(spec);
    case 'cef':
      return cef(spec);
  }
}

/**
 * The external id normalization yields for a sample: the spec's id, except for Suricata, whose id
 * is `flow_id:signature_id:tx_id` with a flow_id derived from the spec's id, and CEF, which has
 * none (the spec's id goes into `cs1` so that distinct specs still fingerprint apart).
 */
export function sampleExternalId(format: AlertFormat, spec: Pick<SampleAlertSpec, 'id'>): string | null {
  if (format === 'cef') return null;
  if (format === 'suricata') return `${sampleFlowId(spec.id)}:${SAMPLE_SIGNATURE_ID}:${SAMPLE_TX_ID}`;
  return spec.id;
}

// 52 bits of the id's hash: unique enough for load tests, and exact as a JSON number.
function sampleFlowId(id: string): number {
  return parseInt(createHash('sha256').update(id).digest('hex').slice(0, 13), 16);
}

function severityOf(spec: SampleAlertSpec): SeverityName {
  return spec.severity ?? 'medium';
}

function tacticOf(spec: SampleAlertSpec): { id: string; name: string } | null {
  if (spec.tacticId === undefined) return null;
  const tactic = tacticById(spec.tacticId);
  if (tactic === undefined)
    throw new RangeError(`unknown MITRE ATT&CK Enterprise tactic id: ${spec.tacticId}`);
  return { id: tactic.id, name: tactic.name };
}

function titleOf(format: AlertFormat, spec: SampleAlertSpec): string {
  return spec.title ?? `Rampart sample ${format} alert ${spec.id}`;
}

function capitalized(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

const ELASTIC_RISK_SCORES: Record<SeverityName, number | null> = {
  informational: null,
  low: 21,
  medium: 47,
  high: 73,
  critical: 99,
};

function elastic(spec: SampleAlertSpec): Record<string, unknown> {
  const time = spec.time.toISOString();
  const tactic = tacticOf(spec);
  const severity = severityOf(spec);
  const alert: Record<string, unknown> = {
    '@timestamp': time,
    'event.kind': 'signal',
    'kibana.alert.uuid': spec.id,
    'kibana.alert.original_time': time,
    'kibana.alert.rule.name': titleOf('elastic', spec),
    'kibana.alert.rule.rule_id': 'rampart-sample-rule',
    'kibana.alert.workflow_status': 'open',
    'kibana.alert.rule.threat': tactic === null ? [] : [{ framework: 'MITRE ATT&CK', tactic, technique: [] }],
  };
  // Kibana's own levels stop at low; a rule action that forwards an informational finding sends
  // the word itself (an alert with no severity at all would be unknown).
  alert['kibana.alert.severity'] = severity;
  if (severity !== 'informational') alert['kibana.alert.risk_score'] = ELASTIC_RISK_SCORES[severity];
  if (spec.host !== undefined) alert['host'] = { name: spec.host };
  if (spec.srcIp !== undefined) alert['source'] = { ip: spec.srcIp };
  if (spec.dstIp !== undefined) alert['destination'] = { ip: spec.dstIp };
  if (spec.user !== undefined) alert['user'] = { name: spec.user };
  return alert;
}

const OCSF_SEVERITY_IDS: Record<SeverityName, number> = {
  informational: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};

function ocsf(spec: SampleAlertSpec): Record<string, unknown> {
  const tactic = tacticOf(spec);
  const severity = severityOf(spec);
  const findingInfo: Record<string, unknown> = { uid: spec.id, title: titleOf('ocsf', spec) };
  if (tactic !== null) findingInfo['attacks'] = [{ tactic: { uid: tactic.id, name: tactic.name } }];
  const finding: Record<string, unknown> = {
    activity_id: 1,
    category_uid: 2,
    class_uid: 2004,
    type_uid: 200401,
    time: spec.time.getTime(),
    severity_id: OCSF_SEVERITY_IDS[severity],
    severity: capitalized(severity),
    metadata: { version: '1.1.0', product: { name: 'Rampart Sample', vendor_name: 'Rampart' } },
    finding_info: findingInfo,
  };
  if (spec.srcIp !== undefined) finding['src_endpoint'] = { ip: spec.srcIp };
  if (spec.dstIp !== undefined) finding['dst_endpoint'] = { ip: spec.dstIp };
  if (spec.host !== undefined) finding['device'] = { hostname: spec.host };
  if (spec.user !== undefined) finding['actor'] = { user: { name: spec.user } };
  return finding;
}

const WAZUH_LEVELS: Record<SeverityName, number> = {
  informational: 3,
  low: 5,
  medium: 8,
  high: 12,
  critical: 15,
};

function wazuh(spec: SampleAlertSpec): Record<string, unknown> {
  const tactic = tacticOf(spec);
  const rule: Record<string, unknown> = {
    level: WAZUH_LEVELS[severityOf(spec)],
    description: titleOf('wazuh', spec),
    id: '100100',
    groups: ['rampart_sample'],
  };
  // Wazuh names tactics and leaves the ids to us.
  if (tactic !== null) rule['mitre'] = { id: [], tactic: [tactic.name], technique: [] };
  const data: Record<string, unknown> = {};
  if (spec.srcIp !== undefined) data['srcip'] = spec.srcIp;
  if (spec.dstIp !== undefined) data['dstip'] = spec.dstIp;
  if (spec.user !== undefined) data['srcuser'] = spec.user;
  return {
    timestamp: spec.time.toISOString().replace('Z', '+0000'),
    rule,
    agent: spec.host === undefined ? { id: '000' } : { id: '001', name: spec.host },
    manager: { name: 'wazuh-manager' },
    id: spec.id,
    full_log: `rampart sample ${spec.id}`,
    decoder: { name: 'rampart-sample' },
    data,
    location: 'rampart-sample',
  };
}

const SURICATA_PRIORITIES: Record<SeverityName, number> = {
  informational: 4,
  low: 3,
  medium: 2,
  high: 1,
  critical: 1,
};

function suricata(spec: SampleAlertSpec): Record<string, unknown> {
  const tactic = tacticOf(spec);
  const severity = severityOf(spec);
  const metadata: Record<string, string[]> = {};
  // Priorities stop at high; ET's signature_severity is what makes an alert critical.
  if (severity === 'critical') metadata['signature_severity'] = ['Critical'];
  if (tactic !== null) {
    metadata['mitre_tactic_id'] = [tactic.id];
    metadata['mitre_tactic_name'] = [tactic.name.replace(/ /g, '_')];
  }
  const alert: Record<string, unknown> = {
    action: 'allowed',
    gid: 1,
    signature_id: SAMPLE_SIGNATURE_ID,
    rev: 1,
    signature: titleOf('suricata', spec),
    category: 'Rampart Sample',
    severity: SURICATA_PRIORITIES[severity],
  };
  if (Object.keys(metadata).length > 0) alert['metadata'] = metadata;
  const event: Record<string, unknown> = {
    // Suricata writes microseconds and an offset without a colon.
    timestamp: spec.time.toISOString().replace('Z', '000+0000'),
    flow_id: sampleFlowId(spec.id),
    in_iface: 'eth0',
    event_type: 'alert',
  };
  if (spec.srcIp !== undefined) event['src_ip'] = spec.srcIp;
  if (spec.dstIp !== undefined) event['dest_ip'] = spec.dstIp;
  event['proto'] = 'TCP';
  event['tx_id'] = SAMPLE_TX_ID;
  event['alert'] = alert;
  // EVE carries no user outside app-layer records; Kerberos' client name is one.
  if (spec.user !== undefined) {
    event['app_proto'] = 'krb5';
    event['krb5'] = { cname: spec.user, realm: 'SAMPLE.TEST', msg_type: 'KRB_AS_REQ' };
  }
  if (spec.host !== undefined) event['host'] = spec.host;
  return event;
}

function splunk(spec: SampleAlertSpec): Record<string, unknown> {
  const tactic = tacticOf(spec);
  const severity = severityOf(spec);
  const notable: Record<string, unknown> = {
    _time: spec.time.toISOString().replace('Z', '+00:00'),
    search_name: 'Rampart Sample - Rule',
    rule_name: 'Rampart Sample',
    rule_title: titleOf('splunk', spec),
    event_id: spec.id,
    security_domain: 'threat',
    urgency: severity,
    severity,
    status_label: 'New',
  };
  if (spec.host !== undefined) notable['orig_host'] = spec.host;
  if (spec.srcIp !== undefined) notable['src_ip'] = spec.srcIp;
  if (spec.dstIp !== undefined) notable['dest_ip'] = spec.dstIp;
  if (spec.user !== undefined) notable['src_user'] = spec.user;
  if (tactic !== null) notable['annotations.mitre_attack.mitre_tactic_id'] = [tactic.id];
  return notable;
}

const CEF_SEVERITIES: Record<SeverityName, string> = {
  // No CEF integer is informational (0-3 is low), and Unknown is unknown: the word.
  informational: 'Informational',
  low: '3',
  medium: '5',
  high: '8',
  critical: '10',
};

function cef(spec: SampleAlertSpec): string {
  const tactic = tacticOf(spec);
  const header = [
    'CEF:0',
    'Rampart',
    'Sample Generator',
    '1.0',
    'sample',
    escapeHeader(titleOf('cef', spec)),
    CEF_SEVERITIES[severityOf(spec)],
  ].join('|');
  const extension = [`rt=${spec.time.getTime()}`, 'cs1Label=sampleId', `cs1=${escapeExtension(spec.id)}`];
  if (spec.srcIp !== undefined) extension.push(`src=${escapeExtension(spec.srcIp)}`);
  if (spec.dstIp !== undefined) extension.push(`dst=${escapeExtension(spec.dstIp)}`);
  if (spec.user !== undefined) extension.push(`suser=${escapeExtension(spec.user)}`);
  if (spec.host !== undefined) extension.push(`dhost=${escapeExtension(spec.host)}`);
  if (tactic !== null) extension.push('cs2Label=mitreTacticId', `cs2=${tactic.id}`);
  return `${header}|${extension.join(' ')}`;
}

function escapeHeader(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

function escapeExtension(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
