import fc from 'fast-check';

import { hasUnstorableText, storableJsonText, storableText } from './storable-text';

// Strings of the characters that matter here: NUL, both surrogate halves, backslashes, `u`, hex.
const tricky = fc.string({
  unit: fc.constantFrom(
    '\u0000',
    '\ud800',
    '\udbff',
    '\udc00',
    '\udfff',
    '\\',
    'u',
    '0',
    'd',
    '8',
    'a',
    'x',
    '"',
    '😀',
  ),
  maxLength: 40,
});
const anyText = fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 40 }));

/** No NUL, and UTF-8 keeps it as it is (an unpaired surrogate would not survive encoding). */
function isStorable(text: string): boolean {
  return !text.includes('\u0000') && Buffer.from(text, 'utf8').toString('utf8') === text;
}

describe('storableText', () => {
  it('replaces NUL and unpaired surrogates by U+FFFD and keeps everything else', () => {
    expect(storableText('a\u0000b')).toBe('a\ufffdb');
    expect(storableText('x\ud800')).toBe('x\ufffd');
    expect(storableText('\udc00y')).toBe('\ufffdy');
    expect(storableText('😀 pair \ud83d\ude00')).toBe('😀 pair \ud83d\ude00');
    expect(storableText('\ude00\ud83d')).toBe('\ufffd\ufffd');
    const clean = 'plain';
    expect(storableText(clean)).toBe(clean);
  });

  it('always answers storable text, of the same length, idempotently', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const out = storableText(text);
        expect(isStorable(out)).toBe(true);
        expect(out).toHaveLength(text.length);
        expect(storableText(out)).toBe(out);
        expect(hasUnstorableText(text)).toBe(out !== text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('storableJsonText', () => {
  it('replaces the escapes jsonb refuses, respecting backslash parity', () => {
    expect(storableJsonText('{"a":"\\u0000"}')).toBe('{"a":"\\ufffd"}');
    expect(storableJsonText('["\\ud800x"]')).toBe('["\\ufffdx"]');
    expect(storableJsonText('["\\udc00"]')).toBe('["\\ufffd"]');
    // An escaped backslash followed by the text u0000 is not an escape.
    expect(storableJsonText('["\\\\u0000"]')).toBe('["\\\\u0000"]');
    expect(storableJsonText('["\\\\\\u0000"]')).toBe('["\\\\\\ufffd"]');
    // A pair of escapes is one character and stays.
    expect(storableJsonText('["\\ud83d\\ude00"]')).toBe('["\\ud83d\\ude00"]');
    expect(storableJsonText('["\\ud83d\\u0041"]')).toBe('["\\ufffd\\u0041"]');
    expect(storableJsonText('["\\u0041\\ude00"]')).toBe('["\\u0041\\ufffd"]');
  });

  it('gives the JSON of the storable text for the JSON of any text', () => {
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 4 }), (texts) => {
        const json = storableJsonText(JSON.stringify(texts));
        expect(JSON.parse(json)).toEqual(texts.map(storableText));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves JSON without escapes as it is, without copying it', () => {
    const json = JSON.stringify({ title: 'é', n: 1 });
    expect(storableJsonText(json)).toBe(json);
  });
});
