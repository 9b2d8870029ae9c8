/** A JSON value as JSON.parse gives it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The JSON Canonicalization Scheme (RFC 8785) for the values JSON.parse produces: object members
 * sorted by their names' UTF-16 code units, no whitespace, strings escaped and numbers written as
 * ECMAScript does (which is what JCS prescribes). The same value always gives the same bytes, in
 * Rampart and in any other JCS implementation, so an exported trail can be checked elsewhere.
 */
export function canonicalize(value: JsonValue): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('JCS has no representation for a non-finite number');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  // Array.prototype.sort compares UTF-16 code units, the order RFC 8785 section 3.2.3 asks for.
  const names = Object.keys(value).sort();
  return `{${names.map((name) => `${JSON.stringify(name)}:${canonicalize(value[name] as JsonValue)}`).join(',')}}`;
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Any value as the JSON PostgreSQL will keep and give back: JSON.stringify's reading (dates as ISO
 * text, undefined members dropped), NUL and unpaired surrogates as U+FFFD (jsonb refuses the first,
 * and neither survives UTF-8), so the hash of what is stored is the hash of what was meant.
 */
export function toStoredJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  const text = JSON.stringify(value, (_key, member: unknown) =>
    typeof member === 'string'
      ? member.replaceAll(String.fromCharCode(0), '\uFFFD').replace(UNPAIRED_SURROGATE, '\uFFFD')
      : member,
  );
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}
