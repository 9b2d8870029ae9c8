import { parseIntakePayload, UnreadableLine } from './parse-intake-payload';

const parse = (text: string) => parseIntakePayload(text, JSON.parse);

describe('parseIntakePayload', () => {
  it('takes one JSON object as one item', () => {
    expect(parse(' {"a":1}\n')).toEqual({ ok: true, items: [{ a: 1 }], originals: ['{"a":1}'] });
  });

  it('takes a JSON array as its elements', () => {
    expect(parse('[{"a":1},{"b":2}]')).toEqual({
      ok: true,
      items: [{ a: 1 }, { b: 2 }],
      originals: ['{"a":1}', '{"b":2}'],
    });
  });

  it('takes NDJSON as one item per line', () => {
    expect(parse('{"a":1}\n{"b":2}\n')).toEqual({
      ok: true,
      items: [{ a: 1 }, { b: 2 }],
      originals: ['{"a":1}', '{"b":2}'],
    });
  });

  it('takes text lines (CEF) as one item per line', () => {
    expect(parse('CEF:0|a|b|1|2|n|3|\r\nCEF:0|c|d|1|2|n|3|')).toEqual({
      ok: true,
      items: ['CEF:0|a|b|1|2|n|3|', 'CEF:0|c|d|1|2|n|3|'],
      originals: ['CEF:0|a|b|1|2|n|3|', 'CEF:0|c|d|1|2|n|3|'],
    });
  });

  it("keeps each array element's exact source text: spacing, key order, escapes and nesting", () => {
    const text = '[ {"b": 2, "a" : "x,]}\\"y"} ,\n  {"n":[1,{"m":"]"}]}, 7, "s,t" ]';
    const result = parse(text);
    expect(result).toMatchObject({
      ok: true,
      originals: ['{"b": 2, "a" : "x,]}\\"y"}', '{"n":[1,{"m":"]"}]}', '7', '"s,t"'],
    });
  });

  it('reports malformed JSON with the parser message', () => {
    const result = parse('{"a":');
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ code: 'malformed_json' });
  });

  it('keeps the readable lines of NDJSON and stands the bad one in its place, naming it', () => {
    const result = parse('{"a":1}\n{"b":\nCEF:0|a|b|1|2|n|3|');
    expect(result).toMatchObject({
      ok: true,
      items: [{ a: 1 }, expect.any(UnreadableLine), 'CEF:0|a|b|1|2|n|3|'],
    });
    const bad = (result as { items: unknown[] }).items[1] as UnreadableLine;
    expect(bad).toMatchObject({
      code: 'malformed_json',
      text: '{"b":',
      message: expect.stringContaining('line 2'),
    });
  });

  it('refuses a payload of nothing but bad lines, naming the first', () => {
    expect(parse('{"a":\n{"b":')).toMatchObject({
      ok: false,
      code: 'malformed_json',
      message: expect.stringContaining('line 1'),
    });
  });

  it('refuses an empty payload', () => {
    expect(parse('  \n')).toMatchObject({ ok: false, code: 'empty_payload' });
  });
});
