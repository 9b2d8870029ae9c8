import { canonicalize, toStoredJson } from './canonical-json';

describe('canonicalize (RFC 8785)', () => {
  it('writes numbers as ECMAScript does (RFC 8785 section 3.2.2.3 examples)', () => {
    const numbers = JSON.parse('[333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001, -0]');
    expect(canonicalize(numbers)).toBe('[333333333.3333333,1e+30,4.5,0.002,1e-27,0]');
  });

  it('sorts members by UTF-16 code units at every level (RFC 8785 section 3.2.3 example)', () => {
    const value = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
        ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    );
    const keys = [...canonicalize(value).matchAll(/"([^"]*)":/g)].map((match) => match[1]);
    expect(keys).toEqual(['\\r', '1', '\u0080', 'ö', '€', '😀', '\ufb33']);
    expect(canonicalize({ b: [{ z: 1, a: 2 }], a: null })).toBe('{"a":null,"b":[{"a":2,"z":1}]}');
  });

  it('escapes strings as JSON.stringify does, without whitespace', () => {
    expect(canonicalize({ text: 'a"b\\c\n\u0001é' })).toBe('{"text":"a\\"b\\\\c\\n\\u0001é"}');
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalize(Number.NaN)).toThrow(TypeError);
  });
});

describe('toStoredJson', () => {
  it('reads a value as JSON.stringify does, with NUL and lone surrogates made U+FFFD', () => {
    const when = new Date('2026-01-02T03:04:05.678Z');
    expect(toStoredJson({ when, skip: undefined, text: `a${String.fromCharCode(0)}b\uD800c` })).toEqual({
      when: '2026-01-02T03:04:05.678Z',
      text: 'a\uFFFDb\uFFFDc',
    });
    expect(toStoredJson(undefined)).toBeNull();
    expect(toStoredJson('😀')).toBe('😀');
  });
});
