import { decideDeliverySource, type DeliverySourceFacts } from './delivery-source';

const stored = (overrides: Partial<NonNullable<DeliverySourceFacts['source']>> = {}) => ({
  name: 'siem',
  hmacSecret: 'secret',
  hasBoundKeys: true,
  keyBoundHere: true,
  ...overrides,
});

describe('decideDeliverySource', () => {
  it('gives a bound key its source even when the delivery names none, secret included', () => {
    expect(decideDeliverySource({ named: undefined, boundToKey: 'siem', source: stored() })).toEqual({
      ok: true,
      source: { name: 'siem', hmacSecret: 'secret' },
    });
  });

  it('refuses a bound key naming another source', () => {
    expect(decideDeliverySource({ named: 'other', boundToKey: 'siem', source: stored() })).toMatchObject({
      ok: false,
      status: 403,
      code: 'source_mismatch',
    });
  });

  it('refuses another key speaking for a source that has bound keys', () => {
    expect(
      decideDeliverySource({ named: 'siem', boundToKey: undefined, source: stored({ keyBoundHere: false }) }),
    ).toMatchObject({ ok: false, code: 'source_mismatch' });
  });

  it('lets any key name a source without bound keys, and leaves an unnamed delivery sourceless', () => {
    expect(
      decideDeliverySource({
        named: 'siem',
        boundToKey: undefined,
        source: stored({ hasBoundKeys: false, keyBoundHere: false, hmacSecret: null }),
      }),
    ).toEqual({ ok: true, source: { name: 'siem', hmacSecret: null } });
    expect(decideDeliverySource({ named: undefined, boundToKey: undefined, source: undefined })).toEqual({
      ok: true,
      source: null,
    });
  });

  it('answers unknown_source for a name that is not stored', () => {
    expect(decideDeliverySource({ named: 'nope', boundToKey: undefined, source: undefined })).toMatchObject({
      ok: false,
      status: 400,
      code: 'unknown_source',
    });
  });
});
