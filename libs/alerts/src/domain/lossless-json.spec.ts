import { parseJsonLosslessly } from './lossless-json';

describe('parseJsonLosslessly', () => {
  it('keeps a flow_id above 2^53 exact, as a string', () => {
    const parsed = parseJsonLosslessly('{"flow_id":1770234902137442123,"tx_id":0}') as Record<
      string,
      unknown
    >;
    expect(parsed['flow_id']).toBe('1770234902137442123');
    const rounded = (JSON.parse('{"flow_id":1770234902137442123}') as { flow_id: number }).flow_id;
    expect(BigInt(rounded).toString()).not.toBe('1770234902137442123');
  });

  it('leaves a flow_id that fits a double as a number', () => {
    expect(parseJsonLosslessly('{"flow_id": 2191386088856669}')).toEqual({ flow_id: 2191386088856669 });
    expect(parseJsonLosslessly('{"flow_id":9007199254740991}')).toEqual({ flow_id: 9007199254740991 });
    expect(parseJsonLosslessly('{"flow_id":9007199254740992}')).toEqual({ flow_id: '9007199254740992' });
  });

  it('finds the key at any depth and ignores it inside strings', () => {
    const text = '{"note":"\\"flow_id\\":18446744073709551615","nested":{"flow_id" : 18446744073709551615}}';
    expect(parseJsonLosslessly(text)).toEqual({
      note: '"flow_id":18446744073709551615',
      nested: { flow_id: '18446744073709551615' },
    });
  });

  it('leaves non-integer numbers and other keys to JSON.parse', () => {
    expect(parseJsonLosslessly('{"flow_id":1.5e300,"other":18446744073709551615}')).toEqual({
      flow_id: 1.5e300,
      other: 18446744073709552000,
    });
  });

  it('throws SyntaxError on invalid JSON, like JSON.parse', () => {
    expect(() => parseJsonLosslessly('{"flow_id":')).toThrow(SyntaxError);
    expect(() => parseJsonLosslessly('nope')).toThrow(SyntaxError);
  });
});
