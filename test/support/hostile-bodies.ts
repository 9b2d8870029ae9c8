import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';

import fc from 'fast-check';

import { ALERT_FORMATS, buildSampleAlert } from '@rampart/alerts';

import { setAt, stringPaths, UNSTORABLE } from './hostile-alerts';

/** One request of the fuzz suite: what it tries, and the bytes and headers it sends. */
export interface HostileRequest {
  kind: string;
  body: Buffer;
  headers: Record<string, string>;
  /** Query string, without `?`. */
  query?: string;
  /** Sent without the API key (an unauthenticated client). */
  anonymous?: boolean;
}

const TIME = new Date();
const json = { 'Content-Type': 'application/json' };
// Each alert its own host: thousands of alerts sharing entities would all correlate into one
// incident, which measures correlation, not the intake's defences.
let serial = 0;
const sample = (format: (typeof ALERT_FORMATS)[number], id: string) =>
  buildSampleAlert(format, { id, time: TIME, host: `fuzz-${(serial++).toString(36)}` });
const asBody = (alert: unknown) => Buffer.from(typeof alert === 'string' ? alert : JSON.stringify(alert));

const format = fc.constantFrom(...ALERT_FORMATS);
// Mostly a small pool of vendor ids, so that most hostile alerts are duplicates after their first
// delivery: the insert (and PostgreSQL's reading of every value) still runs, correlation does not,
// which keeps 10,000 requests within CI's time. Now and then an id of its own.
const id = fc.oneof(
  { weight: 19, arbitrary: fc.integer({ min: 0, max: 39 }).map((n) => `f-${n}`) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }).map((text) => `f-${text}`),
  },
);
const unstorable = fc.constantFrom(...UNSTORABLE, '\u0000\u0000', '\ud83d', 'x\udfffy');

/** A sample alert of any format with unstorable characters put into one of its strings. */
const unstorableText = fc.tuple(format, id, unstorable, fc.nat()).map(([f, i, character, pick]) => {
  const alert = sample(f, i);
  if (typeof alert === 'string') {
    const at = pick % alert.length;
    return {
      kind: 'unstorable text (cef)',
      body: asBody(alert.slice(0, at) + character + alert.slice(at)),
      headers: { 'Content-Type': 'text/plain' },
    };
  }
  const paths = stringPaths(alert);
  const path = paths[pick % paths.length] ?? [];
  setAt(alert, path, (value) => value + character);
  return { kind: 'unstorable text', body: asBody(alert), headers: json };
});

/** A valid alert's JSON cut anywhere. */
const truncated = fc.tuple(format, id, fc.double({ min: 0, max: 1, noNaN: true })).map(([f, i, cut]) => {
  const text = asBody(sample(f, i)).toString();
  return {
    kind: 'truncated',
    body: Buffer.from(text.slice(0, Math.floor(text.length * cut))),
    headers: json,
  };
});

/** Arrays or objects nested deeper than alerts may be, now and then up to 300,000 levels. */
const nestingDepth = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 60, max: 5_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 300_000 }) },
);
const deepNesting = fc.tuple(nestingDepth, fc.boolean(), fc.boolean()).map(([depth, objects, closed]) => {
  const open = objects ? '{"a":'.repeat(depth) : '['.repeat(depth);
  const close = closed ? (objects ? '}'.repeat(depth) : ']'.repeat(depth)) : '';
  const inner = objects ? '1' : '';
  const body = Buffer.from(`${open}${inner}${close}`);
  return { kind: 'deep nesting', body, headers: json };
});

/** Numbers no JavaScript number holds, in the fields alerts are read from. */
const hugeNumbers = fc
  .tuple(
    format,
    id,
    fc.constantFrom(
      '1e400',
      '-1e400',
      '123456789012345678901234567890',
      '99999999999999999999',
      '-0',
      '1e-400',
      '0.0000000000000000000001',
      '9'.repeat(400),
    ),
  )
  .map(([f, i, number]) => {
    const alert = sample(f, i);
    if (typeof alert === 'string') {
      return {
        kind: 'huge numbers (cef)',
        body: asBody(alert.replace(/rt=\d+/, `rt=${number}`)),
        headers: { 'Content-Type': 'text/plain' },
      };
    }
    // Every numeric field, and a few string ones (times, severities), hold the number raw.
    const text = JSON.stringify(alert)
      .replace(/:(-?\d+(?:\.\d+)?)([,}\]])/g, `:${number}$2`)
      .replace(/"(@timestamp|timestamp|time|_time|kibana\.alert\.severity)":"[^"]*"/g, `"$1":${number}`);
    return { kind: 'huge numbers', body: Buffer.from(text), headers: json };
  });

/** Bytes that are not UTF-8: stray continuation bytes, overlong forms, surrogates, random junk. */
const invalidUtf8 = fc
  .tuple(
    format,
    id,
    fc.constantFrom(
      [0x80],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0xff, 0xfe],
      [0xe2, 0x82],
    ),
    fc.nat(),
    fc.uint8Array({ maxLength: 64 }),
  )
  .map(([f, i, bad, pick, junk]) => {
    const text = asBody(sample(f, i));
    const at = pick % text.length;
    const body =
      pick % 5 === 0
        ? Buffer.from(junk)
        : Buffer.concat([text.subarray(0, at), Buffer.from(bad), text.subarray(at)]);
    return {
      kind: 'invalid utf-8',
      body,
      headers: typeof sample(f, i) === 'string' ? { 'Content-Type': 'text/plain' } : json,
    };
  });

/** The same key twice, with values of different types. */
const duplicateKeys = fc
  .tuple(fc.constantFrom('elastic', 'ocsf', 'wazuh', 'splunk', 'suricata'), id, fc.jsonValue({ maxDepth: 2 }))
  .map(([f, i, value]) => {
    const text = JSON.stringify(sample(f as (typeof ALERT_FORMATS)[number], i));
    const body = `{${text.slice(1, -1).replace(/"(\w+)":/, (match, key: string) => `"${key}":${JSON.stringify(value)},${match}`)}}`;
    return { kind: 'duplicate keys', body: Buffer.from(body), headers: json };
  });

/** __proto__, constructor and prototype keys, at the top and deep inside. */
const prototypeKeys = fc
  .tuple(
    fc.constantFrom('elastic', 'ocsf', 'wazuh', 'splunk', 'suricata'),
    id,
    fc.constantFrom('__proto__', 'constructor', 'prototype'),
    fc.boolean(),
  )
  .map(([f, i, key, nested]) => {
    const alert = sample(f as (typeof ALERT_FORMATS)[number], i) as Record<string, unknown>;
    const poison = `{"${key}":{"polluted":true,"toString":1,"valueOf":"x","hasOwnProperty":null}}`;
    const text = JSON.stringify(alert);
    const body = nested
      ? text.replace(/\{/, `{"host":${poison},"nest":${poison},`)
      : `${text.slice(0, -1)},"${key}":${poison}}`;
    return { kind: 'prototype keys', body: Buffer.from(body), headers: json };
  });

/** A good alert sent as something else, or with a charset the bytes are not in. */
const wrongContentType = fc
  .tuple(
    format,
    id,
    fc.constantFrom(
      'application/xml',
      'multipart/form-data; boundary=x',
      'text/html',
      'image/png',
      'application/json; charset=utf-16',
      'application/json; charset=koi8-r',
      'application/json; charset=nonsense',
      '',
      'application/x-www-form-urlencoded',
      '*/*',
    ),
  )
  .map(([f, i, type]) => ({
    kind: 'wrong content type',
    body: asBody(sample(f, i)),
    headers: (type === '' ? {} : { 'Content-Type': type }) as Record<string, string>,
  }));

let bomb: Buffer | undefined;
/** 16 MiB of `[` in 16 KiB of gzip, made once. */
function gzipBomb(): Buffer {
  return (bomb ??= gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x5b)));
}

/** Compressed bodies: good and bad, declared rightly or wrongly, and one that inflates past the limit. */
const compressed = fc
  .tuple(
    format,
    id,
    fc.constantFrom('gzip', 'deflate', 'br', 'gzip-lie', 'zstd', 'gzip-bomb', 'gzip-garbage', 'gzip, gzip'),
  )
  .map(([f, i, how]) => {
    const body = asBody(sample(f, i));
    const headers: Record<string, string> = { ...json };
    let bytes: Buffer = body;
    if (how === 'gzip') bytes = gzipSync(body);
    else if (how === 'deflate') bytes = deflateSync(body);
    else if (how === 'br')
      bytes = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
    else if (how === 'gzip-bomb') bytes = gzipBomb();
    else if (how === 'gzip-garbage')
      bytes = Buffer.concat([gzipSync(body).subarray(0, 20), Buffer.from('not gzip')]);
    else if (how === 'gzip, gzip') bytes = gzipSync(gzipSync(body));
    headers['Content-Encoding'] =
      how === 'gzip-lie' || how === 'gzip-bomb' || how === 'gzip-garbage' ? 'gzip' : how;
    return { kind: `compressed (${how})`, body: bytes, headers };
  });

/** Values of the wrong types where alerts have strings, arrays where objects belong, and random JSON. */
const wrongShapes = fc
  .tuple(format, id, fc.jsonValue({ maxDepth: 4 }), fc.nat())
  .map(([f, i, value, pick]) => {
    const alert = sample(f, i);
    if (typeof alert === 'string' || pick % 4 === 0)
      return { kind: 'random json', body: Buffer.from(JSON.stringify(value) ?? 'null'), headers: json };
    const paths = stringPaths(alert);
    const path = paths[pick % paths.length] ?? [];
    setAt(alert, path, () => value as string);
    return { kind: 'wrong shapes', body: asBody(alert), headers: json };
  });

/** Lines: NDJSON and CEF with hostile pieces, empty lines, very long lines, too many items. */
const lines = fc
  .tuple(
    fc.array(fc.tuple(format, id), { minLength: 1, maxLength: 20 }),
    fc.constantFrom('plain', 'crlf', 'long', 'many', 'mixed', 'cef-pipes'),
  )
  .map(([items, how]) => {
    const rendered = items.map(([f, i]) => {
      const alert = sample(f, i);
      return typeof alert === 'string' ? alert : JSON.stringify(alert);
    });
    let text = rendered.join('\n');
    if (how === 'crlf') text = rendered.join('\r\n\r\n');
    if (how === 'long') text = `${rendered[0]}${' '.repeat(20_000)}x\n${'CEF:0|' + 'a'.repeat(20_000)}`;
    if (how === 'many') text = Array.from({ length: 5_100 }, () => '{}').join('\n');
    if (how === 'mixed') text = `${rendered.join('\n')}\n{"broken":\nCEF:0|x|y|1|2|3|4|`;
    if (how === 'cef-pipes') text = `CEF:0|${'|'.repeat(50)}\\|\\\\|=|${'='.repeat(30)}`;
    return {
      kind: `lines (${how})`,
      body: Buffer.from(text),
      headers: { 'Content-Type': how === 'cef-pipes' ? 'text/plain' : 'application/x-ndjson' },
    };
  });

/** Intake headers and query parameters: sources, signatures and formats that are not. */
const hostileHeaders = fc
  .tuple(
    format,
    id,
    fc.constantFrom('source', 'signature', 'timestamp', 'format', 'query-source', 'anonymous', 'bad-auth'),
    fc.string({ unit: 'binary-ascii', maxLength: 80 }),
  )
  .map(([f, i, what, text]): HostileRequest => {
    const body = asBody(sample(f, i));
    const printable = text.replace(/[^\x20-\x7e]/g, '?');
    switch (what) {
      case 'source':
        return {
          kind: 'hostile X-Soar-Source',
          body,
          headers: { ...json, 'X-Soar-Source': printable || 'x' },
        };
      case 'signature':
        return {
          kind: 'hostile X-Soar-Signature',
          body,
          headers: {
            ...json,
            'X-Soar-Source': 'fuzz-signed',
            'X-Soar-Signature': `SHA256=${printable}`,
            'X-Soar-Timestamp': String(Math.floor(Date.now() / 1000)),
          },
        };
      case 'timestamp':
        return {
          kind: 'hostile X-Soar-Timestamp',
          body,
          headers: {
            ...json,
            'X-Soar-Source': 'fuzz-signed',
            'X-Soar-Signature': `sha256=${'0'.repeat(64)}`,
            'X-Soar-Timestamp': printable || '99999999999999999999',
          },
        };
      case 'format':
        return { kind: 'hostile ?format', body, headers: json, query: `format=${encodeURIComponent(text)}` };
      case 'query-source':
        return {
          kind: 'hostile ?source',
          body,
          headers: json,
          query: `source=${encodeURIComponent(text)}&source=a`,
        };
      case 'anonymous':
        return { kind: 'unauthenticated', body, headers: json, anonymous: true };
      default:
        return {
          kind: 'bad Authorization',
          body,
          headers: { ...json, Authorization: `Bearer ${printable}` },
          anonymous: true,
        };
    }
  });

/** Every class of hostile request, in roughly equal shares. */
export const hostileRequest: fc.Arbitrary<HostileRequest> = fc.oneof(
  unstorableText,
  truncated,
  deepNesting,
  hugeNumbers,
  invalidUtf8,
  duplicateKeys,
  prototypeKeys,
  wrongContentType,
  compressed,
  wrongShapes,
  lines,
  hostileHeaders,
);

/** A valid alert that must be stored, and the title to find it by. */
export function validAlert(index: number, tag: string): { request: HostileRequest; title: string } {
  const f = ALERT_FORMATS[index % ALERT_FORMATS.length] as (typeof ALERT_FORMATS)[number];
  const idText = `${tag}-valid-${index}`;
  const title = `fuzz valid ${tag} ${index}`;
  const alert = buildSampleAlert(f, { id: idText, time: TIME, host: `valid-${tag}-${index}`, title });
  return {
    request: {
      kind: 'valid',
      body: asBody(alert),
      headers: typeof alert === 'string' ? { 'Content-Type': 'text/plain' } : json,
    },
    title,
  };
}
