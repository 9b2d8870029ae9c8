import { jsonForPostgres } from './sql-alert.store';

describe('jsonForPostgres', () => {
  it('replaces NUL characters, which jsonb refuses, and keeps everything else', () => {
    const text = jsonForPostgres({ a: 'x\u0000y', b: 'ok' });
    expect(text).not.toContain('\\u0000');
    expect(JSON.parse(text)).toEqual({ a: 'x\ufffdy', b: 'ok' });
  });

  it('leaves a literal backslash-u0000 text alone', () => {
    const value = { a: '\\u0000 is how JSON escapes NUL' };
    expect(JSON.parse(jsonForPostgres(value))).toEqual(value);
  });
});

describe('jsonForPostgres and UTF-16', () => {
  it('replaces unpaired surrogates, which jsonb refuses, and keeps paired ones', () => {
    const text = jsonForPostgres({ lone: 'a\ud800b', low: '\udc00', pair: 'emoji 😀' });
    expect(JSON.parse(text)).toEqual({ lone: 'a\ufffdb', low: '\ufffd', pair: 'emoji 😀' });
  });
});
