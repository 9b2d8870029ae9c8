import { storableParameters } from './storable-parameters';

describe('storableParameters', () => {
  it('replaces NUL and unpaired surrogates in text parameters and in arrays of text', () => {
    expect(storableParameters('SELECT $1, $2', ['a\u0000b', ['x\ud800', 'ok']])).toEqual([
      'a\ufffdb',
      ['x\ufffd', 'ok'],
    ]);
  });

  it('sanitizes the escapes of the parameters cast to json or jsonb, and only those', () => {
    const json = JSON.stringify([{ id: 'a\u0000', lone: '\udc00', pair: '😀', literal: '\\u0000' }]);
    const [asJson, asText, asCast] = storableParameters(
      'SELECT * FROM jsonb_to_recordset($1::jsonb), $2, CAST($3 AS json)',
      [json, '\\u0000 stays text', json],
    );
    expect(JSON.parse(asJson as string)).toEqual([
      { id: 'a\ufffd', lone: '\ufffd', pair: '😀', literal: '\\u0000' },
    ]);
    expect(asText).toBe('\\u0000 stays text');
    expect(asCast).toBe(asJson);
  });

  it('serializes object parameters through the same rule, and leaves numbers, dates, buffers and null', () => {
    const date = new Date();
    const bytes = Buffer.from([0]);
    const [object, number, when, buffer, nothing] = storableParameters('SELECT $1, $2, $3, $4, $5', [
      { a: 'x\u0000' },
      4,
      date,
      bytes,
      null,
    ]);
    expect(JSON.parse(object as string)).toEqual({ a: 'x\ufffd' });
    expect([number, when, buffer, nothing]).toEqual([4, date, bytes, null]);
  });
});
