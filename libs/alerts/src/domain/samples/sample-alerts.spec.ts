import { alertIdentity } from '../alert-identity';
import { parseJsonLosslessly } from '../lossless-json';
import { normalizeAlert } from '../normalize-alert';
import {
  ALERT_FORMATS,
  SEVERITY_NAMES,
  severityId,
  type AlertEntity,
  type AlertFormat,
  type NormalizedAlert,
} from '../normalized-alert';
import { buildSampleAlert, sampleExternalId, type SampleAlertSpec } from './sample-alerts';

const fullSpec: SampleAlertSpec = {
  id: 'sample-0001',
  time: new Date('2024-05-06T07:08:09.123Z'),
  host: 'ws-042.corp.example',
  srcIp: '10.0.0.5',
  dstIp: '2001:db8::7',
  user: 'alice',
  severity: 'high',
  tacticId: 'TA0008',
  title: 'Lateral movement | via \\\\admin$ = suspicious',
};

/** What the spec promises, in the order normalizers do not guarantee: compared as sets. */
const HOST_ROLE: Record<AlertFormat, AlertEntity['role']> = {
  elastic: 'related',
  ocsf: 'related',
  wazuh: 'related',
  splunk: 'related',
  cef: 'destination',
  suricata: 'observer',
};

function expectedEntities(format: AlertFormat, spec: SampleAlertSpec): AlertEntity[] {
  const entities: AlertEntity[] = [];
  if (spec.host !== undefined) entities.push({ type: 'host', value: spec.host, role: HOST_ROLE[format] });
  if (spec.srcIp !== undefined) entities.push({ type: 'ip', value: spec.srcIp, role: 'source' });
  if (spec.dstIp !== undefined) entities.push({ type: 'ip', value: spec.dstIp, role: 'destination' });
  if (spec.user !== undefined) entities.push({ type: 'user', value: spec.user, role: 'actor' });
  return entities;
}

function sorted(entities: AlertEntity[]): string[] {
  return entities.map((entity) => `${entity.type}|${entity.value}|${entity.role}`).sort();
}

/** Through the wire form an intake sees: JSON text parsed losslessly, or the CEF line. */
function roundTrip(format: AlertFormat, spec: SampleAlertSpec): NormalizedAlert {
  const native = buildSampleAlert(format, spec);
  const wire = typeof native === 'string' ? native : parseJsonLosslessly(JSON.stringify(native));
  const result = normalizeAlert(wire);
  if (!result.ok) throw new Error(`${format}: ${result.error.message}`);
  return result.alert;
}

describe.each(ALERT_FORMATS.map((format) => [format]))('buildSampleAlert(%s)', (format) => {
  it('normalizes, by detection, to exactly the spec', () => {
    const alert = roundTrip(format, fullSpec);
    expect(alert.format).toBe(format);
    expect(alert.externalId).toBe(sampleExternalId(format, fullSpec));
    expect(alert.title).toBe(fullSpec.title);
    expect(alert.time).toEqual(fullSpec.time);
    expect(alert.severityId).toBe(severityId('high'));
    expect(alert.tactics).toEqual([{ id: 'TA0008', name: 'Lateral Movement' }]);
    expect(sorted(alert.entities)).toEqual(sorted(expectedEntities(format, fullSpec)));
  });

  it.each(SEVERITY_NAMES.map((name) => [name]))('carries severity %s', (severity) => {
    expect(roundTrip(format, { ...fullSpec, severity }).severityId).toBe(severityId(severity));
  });

  it('yields no entities, no tactic and medium severity for a minimal spec', () => {
    const minimal: SampleAlertSpec = { id: 'min-1', time: new Date('2024-01-02T03:04:05.006Z') };
    const alert = roundTrip(format, minimal);
    expect(alert.entities).toEqual([]);
    expect(alert.tactics).toEqual([]);
    expect(alert.severityId).toBe(severityId('medium'));
    expect(alert.externalId).toBe(sampleExternalId(format, minimal));
  });

  it('gives distinct identities to distinct ids and one identity to one id', () => {
    const a = alertIdentity(roundTrip(format, { ...fullSpec, id: 'a' }));
    const b = alertIdentity(roundTrip(format, { ...fullSpec, id: 'b' }));
    expect(a).not.toBe(b);
    expect(alertIdentity(roundTrip(format, { ...fullSpec, id: 'a' }))).toBe(a);
  });
});

describe('sampleExternalId', () => {
  it('is the spec id except for Suricata (flow triple) and CEF (none)', () => {
    expect(sampleExternalId('elastic', fullSpec)).toBe('sample-0001');
    expect(sampleExternalId('suricata', fullSpec)).toMatch(/^\d+:9000001:0$/);
    expect(sampleExternalId('cef', fullSpec)).toBeNull();
  });

  it('refuses a tactic id outside the Enterprise table', () => {
    expect(() => buildSampleAlert('ocsf', { ...fullSpec, tacticId: 'TA9999' })).toThrow(RangeError);
  });
});
