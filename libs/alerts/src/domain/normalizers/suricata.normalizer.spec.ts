import { parseJsonLosslessly } from '../lossless-json';
import { flowIdDigits, normalizeSuricataAlert } from './suricata.normalizer';

const context = { receivedAt: null };

function eve(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    timestamp: '2018-10-03T14:42:44.836744+0000',
    flow_id: 2191386088856669,
    event_type: 'alert',
    src_ip: '192.168.1.146',
    dest_ip: '93.184.216.34',
    tx_id: 0,
    alert: { signature_id: 2013028, signature: 'ET POLICY curl User-Agent Outbound', severity: 2 },
    ...overrides,
  };
}

function externalIdOf(input: unknown): string | null {
  const result = normalizeSuricataAlert(input, context);
  if (!result.ok) throw new Error(result.error.message);
  return result.alert.externalId;
}

describe('suricata identity', () => {
  it('builds flow_id:signature_id:tx_id', () => {
    expect(externalIdOf(eve())).toBe('2191386088856669:2013028:0');
  });

  it('gives the same id for a flow_id sent as a number or as a string', () => {
    expect(externalIdOf(eve({ flow_id: '2191386088856669' }))).toBe(externalIdOf(eve()));
  });

  it('keeps a flow_id above 2^53 exact when the text was parsed losslessly', () => {
    const text = JSON.stringify(eve({ flow_id: 0 })).replace('"flow_id":0', '"flow_id":18446744073709551615');
    expect(externalIdOf(parseJsonLosslessly(text))).toBe('18446744073709551615:2013028:0');
  });

  it('tells apart two flow ids that a double would round together', () => {
    const a = parseJsonLosslessly(
      JSON.stringify(eve({ flow_id: 0 })).replace('"flow_id":0', '"flow_id":1770234902137442123'),
    );
    const b = parseJsonLosslessly(
      JSON.stringify(eve({ flow_id: 0 })).replace('"flow_id":0', '"flow_id":1770234902137442124'),
    );
    expect(externalIdOf(a)).not.toBe(externalIdOf(b));
  });

  it('appends the timestamp when flow_id was already rounded or tx_id is missing', () => {
    // What plain JSON.parse makes of flow_id 1770234902137442123.
    const rounded = Number('1770234902137442123');
    expect(externalIdOf(eve({ flow_id: rounded }))).toBe(
      '1770234902137442048:2013028:0:2018-10-03T14:42:44.836744+0000',
    );
    expect(externalIdOf(eve({ tx_id: undefined }))).toBe(
      '2191386088856669:2013028::2018-10-03T14:42:44.836744+0000',
    );
  });

  it('has no external id without a flow_id or signature_id', () => {
    expect(externalIdOf(eve({ flow_id: undefined }))).toBeNull();
    expect(externalIdOf(eve({ flow_id: 'abc' }))).toBeNull();
    expect(externalIdOf(eve({ alert: { signature: 'x' } }))).toBeNull();
  });

  it('reads flow ids of every JSON shape', () => {
    expect(flowIdDigits('0042')).toEqual({ digits: '42', exact: true });
    expect(flowIdDigits(42)).toEqual({ digits: '42', exact: true });
    expect(flowIdDigits(-1)).toBeNull();
    expect(flowIdDigits(1.5)).toBeNull();
    expect(flowIdDigits('1'.repeat(21))).toBeNull();
  });
});

describe('suricata events that are not alerts', () => {
  it('refuses a flow event as unsupported, naming event_type', () => {
    expect(normalizeSuricataAlert(eve({ event_type: 'flow', alert: undefined }), context)).toEqual({
      ok: false,
      error: {
        code: 'unsupported_event',
        message: 'suricata event_type "flow" is not an alert',
        path: 'event_type',
      },
    });
  });

  it('refuses an alert without a signature, naming alert.signature', () => {
    expect(normalizeSuricataAlert(eve({ alert: { signature_id: 1 } }), context)).toMatchObject({
      ok: false,
      error: { code: 'invalid_alert', path: 'alert.signature' },
    });
  });
});
