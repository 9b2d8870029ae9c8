import { detectAlertFormat } from './detect-format';

describe('detectAlertFormat', () => {
  it.each([
    ['OCSF 2004', { class_uid: 2004, finding_info: { uid: 'x' } }, 'ocsf'],
    ['OCSF 2001', { class_uid: 2001, finding: { uid: 'x' } }, 'ocsf'],
    ['Elastic flat keys', { 'kibana.alert.rule.name': 'r', '@timestamp': 't' }, 'elastic'],
    ['Elastic nested', { kibana: { alert: { uuid: 'u' } } }, 'elastic'],
    ['Elastic legacy signal', { event: { kind: 'signal' }, signal: { rule: { name: 'r' } } }, 'elastic'],
    ['Elastic search hit', { _index: 'i', _id: 'x', _source: { 'kibana.alert.uuid': 'x' } }, 'elastic'],
    ['Wazuh with agent', { rule: { level: 5 }, agent: { id: '001' } }, 'wazuh'],
    ['Wazuh with manager and string level', { rule: { level: '5' }, manager: { name: 'm' } }, 'wazuh'],
    ['Suricata alert', { event_type: 'alert', timestamp: 't', flow_id: 1 }, 'suricata'],
    ['Suricata flow event', { event_type: 'flow', timestamp: 't', src_ip: '1.2.3.4' }, 'suricata'],
    ['Splunk notable by event_id', { event_id: 'A@@notable@@b' }, 'splunk'],
    ['Splunk notable by search_name and _time', { search_name: 's', _time: '1' }, 'splunk'],
    ['Splunk webhook', { sid: 'scheduler_x', result: {}, search_name: null }, 'splunk'],
    ['Splunk HEC', { time: 1, host: 'h', sourcetype: 'st', event: { a: 1 } }, 'splunk'],
    ['Splunk HEC with a string event', { time: 1, source: 's', event: 'text' }, 'splunk'],
    ['CEF line', 'CEF:0|v|p|1|c|n|5|src=1.2.3.4', 'cef'],
    ['CEF behind syslog', 'Aug  3 10:49:35 host CEF: 0|v|p|1|c|n|5|', 'cef'],
  ])('recognises %s', (_label, input, expected) => {
    expect(detectAlertFormat(input)).toBe(expected);
  });

  it.each([
    ['OCSF of another class', { class_uid: 3002, finding_info: {} }],
    ['Wazuh rule without agent or manager', { rule: { level: 5 } }],
    ['Wazuh rule with a non-numeric level', { rule: { level: 'high' }, agent: {} }],
    ['event_type without timestamp', { event_type: 'alert', flow_id: 1 }],
    ['event_type with only a timestamp', { event_type: 'alert', timestamp: 't' }],
    ['ECS event that is not a signal', { event: { kind: 'event' }, host: { name: 'h' } }],
    ['HEC-like object without sourcetype or time', { event: { a: 1 } }],
    ['a plain string', 'hello world'],
    ['a CEF marker deep inside a long string', `${'x'.repeat(5000)}CEF:0|v|p|1|c|n|5|`],
    ['null', null],
    ['a number', 42],
    ['an array', [{ class_uid: 2004 }]],
    ['an empty object', {}],
  ])('rejects %s', (_label, input) => {
    expect(detectAlertFormat(input)).toBeNull();
  });

  it('returns null for an object whose getters throw', () => {
    const hostile = Object.defineProperty({}, 'class_uid', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(detectAlertFormat(hostile)).toBeNull();
  });
});
