import { normalizeAlert, type NormalizeResult } from './normalize-alert';
import { ALERT_FORMATS } from './normalized-alert';

const receivedAt = new Date('2024-01-01T00:00:00Z');

function errorOf(result: NormalizeResult): { code: string; message: string; path?: string } {
  if (result.ok) throw new Error(`expected a failure, got an alert titled ${result.alert.title}`);
  return result.error;
}

const wazuh = {
  timestamp: '2021-02-01T20:58:44.830+0000',
  rule: { level: 15, description: 'Shellshock attack detected', id: '31168' },
  agent: { id: '000', name: 'ubuntu-bionic' },
  id: '1612213124.6448363',
};

describe('normalizeAlert', () => {
  it('detects the format and keeps the raw input by reference', () => {
    const result = normalizeAlert(wazuh);
    expect(result.ok && result.alert.format).toBe('wazuh');
    expect(result.ok && result.alert.raw).toBe(wazuh);
  });

  it('answers unknown_format for inputs no format recognises', () => {
    expect(errorOf(normalizeAlert({ hello: 'world' })).code).toBe('unknown_format');
    expect(errorOf(normalizeAlert('just text')).message).toContain('not a CEF line');
    expect(errorOf(normalizeAlert([wazuh])).message).toContain('array');
    expect(errorOf(normalizeAlert(null)).message).toContain('null');
  });

  it('answers unknown_format for a forced format that does not exist', () => {
    expect(errorOf(normalizeAlert(wazuh, { format: 'qradar' as never }))).toMatchObject({
      code: 'unknown_format',
      path: 'format',
    });
  });

  it('answers invalid_alert naming the field when a forced format does not fit', () => {
    expect(errorOf(normalizeAlert(wazuh, { format: 'elastic' }))).toMatchObject({
      code: 'invalid_alert',
      path: 'kibana.alert.rule.name',
    });
    expect(errorOf(normalizeAlert(wazuh, { format: 'ocsf' }))).toMatchObject({
      code: 'invalid_alert',
      path: 'class_uid',
    });
    expect(errorOf(normalizeAlert(wazuh, { format: 'suricata' }))).toMatchObject({
      code: 'invalid_alert',
      path: 'event_type',
    });
    expect(errorOf(normalizeAlert(wazuh, { format: 'splunk' })).code).toBe('invalid_alert');
    expect(errorOf(normalizeAlert(wazuh, { format: 'cef' })).message).toContain('string');
    expect(errorOf(normalizeAlert({ agent: {} }, { format: 'wazuh' }))).toMatchObject({ path: 'rule' });
    expect(errorOf(normalizeAlert({ rule: { level: 'x' }, agent: {} }, { format: 'wazuh' }))).toMatchObject({
      path: 'rule.level',
    });
  });

  it('names the time field when the alert has none and no receivedAt is given', () => {
    const { timestamp: _dropped, ...timeless } = wazuh;
    expect(errorOf(normalizeAlert(timeless))).toMatchObject({ code: 'invalid_alert', path: 'timestamp' });
    expect(errorOf(normalizeAlert({ ...wazuh, timestamp: 'garbage' }))).toMatchObject({ path: 'timestamp' });
    const withArrival = normalizeAlert(timeless, { receivedAt });
    expect(withArrival.ok && withArrival.alert.time).toEqual(receivedAt);
  });

  it('names the missing OCSF finding_info', () => {
    expect(errorOf(normalizeAlert({ class_uid: 2004, time: 1 }))).toMatchObject({
      code: 'invalid_alert',
      path: 'finding_info',
    });
  });

  it('never throws, whatever it is given', () => {
    const hostile = Object.defineProperty({ rule: { level: 3 }, agent: {} }, 'timestamp', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 10_000; i++) {
      const next: Record<string, unknown> = {};
      cursor['kibana'] = next;
      cursor = next;
    }
    const garbage: unknown[] = [
      undefined,
      null,
      0,
      -1,
      Number.NaN,
      Infinity,
      true,
      Symbol('x'),
      10n,
      () => 1,
      [],
      [null],
      {},
      '',
      'CEF:',
      'CEF:0|',
      'CEF:0|a|b|c|d|e|f|',
      `CEF:0|v|p|1|c|n|5|${'k='.repeat(100_000)}`,
      'x'.repeat(5_000_000),
      JSON.parse('{"__proto__":{"class_uid":2004},"constructor":{"prototype":{"x":1}}}'),
      JSON.parse('{"class_uid":2004,"finding_info":{"__proto__":{"title":"t"}},"time":"x"}'),
      { class_uid: 2004, finding_info: { uid: 7, title: ['a', 'b'] }, time: { nested: true } },
      { class_uid: '2004', finding_info: null },
      { rule: { level: 1e308 }, agent: 'x', timestamp: 1e308 },
      { event_type: 'alert', timestamp: 't', flow_id: { x: 1 }, alert: 'nope' },
      {
        event_type: 'alert',
        timestamp: '2024-01-01T00:00:00Z',
        flow_id: -5,
        alert: { signature: 's', severity: 'x' },
      },
      { sid: 's', result: { _time: [] }, search_name: 42 },
      { time: 'x', sourcetype: 's', event: 'plain text event' },
      { _source: 'not an object', _id: 1 },
      { _source: { _source: { 'kibana.alert.uuid': 'x' } } },
      hostile,
      revoked.proxy,
      deep,
      new Date(),
      new Map([['class_uid', 2004]]),
    ];
    for (const input of garbage) {
      for (const format of [undefined, ...ALERT_FORMATS]) {
        let result: NormalizeResult | undefined;
        expect(() => {
          result = normalizeAlert(input, format === undefined ? { receivedAt } : { format, receivedAt });
        }).not.toThrow();
        expect(result).toEqual(expect.objectContaining({ ok: expect.any(Boolean) }));
      }
    }
  });

  it('does not pollute Object.prototype', () => {
    normalizeAlert(
      JSON.parse('{"__proto__":{"polluted":true},"rule":{"level":3,"__proto__":{"x":1}},"agent":{}}'),
      {
        receivedAt,
      },
    );
    normalizeAlert('CEF:0|v|p|1|c|n|5|__proto__=polluted constructor=x', { receivedAt });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('ignores garbage options', () => {
    expect(normalizeAlert(wazuh, null as never).ok).toBe(true);
    expect(normalizeAlert(wazuh, { receivedAt: new Date('nope') }).ok).toBe(true);
  });
});

describe('normalizeAlert and deeply nested input', () => {
  it('refuses an alert nested deeper than any SIEM nests, without running out of stack', () => {
    let deep: unknown = [];
    for (let level = 0; level < 50_000; level += 1) deep = [deep];
    const result = normalizeAlert({ 'kibana.alert.uuid': 'x', 'event.kind': 'signal', deep });
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'invalid_alert',
        message: expect.stringContaining('nested deeper'),
      }),
    });
  });
});
