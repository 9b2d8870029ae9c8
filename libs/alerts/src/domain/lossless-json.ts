/** Keys whose integer values may exceed 2^53 in alerts we ingest (Suricata's uint64 `flow_id`). */
export const BIG_INTEGER_KEYS: readonly string[] = ['flow_id'];

const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);

/**
 * JSON.parse that keeps the exact digits of large integers under the given keys, at any depth,
 * by turning them into strings before parsing: `{"flow_id":2191386088856669123}` parses to
 * `{ flow_id: "2191386088856669123" }`. Integers that fit in a double are left as numbers, so the
 * result equals JSON.parse's whenever JSON.parse is exact.
 *
 * Suricata's `flow_id` is a uint64 and part of the alert identity: an intake that parses with
 * plain JSON.parse rounds it (to a multiple of up to 2048), and the identity of such an alert is
 * then built from the rounded value. Every intake path must parse alert JSON with this function so
 * that redeliveries of one alert get one identity.
 *
 * Throws SyntaxError on invalid JSON, as JSON.parse does. Linear in the length of the text.
 */
export function parseJsonLosslessly(text: string, keys: readonly string[] = BIG_INTEGER_KEYS): unknown {
  const wanted = keys.filter((key) => text.includes(`"${key}"`));
  if (wanted.length === 0) return JSON.parse(text);
  const keySet = new Set(wanted);
  const keyLengths = new Set(wanted.map((key) => key.length));

  const length = text.length;
  const pieces: string[] = [];
  let copiedUpTo = 0;
  let i = 0;
  while (i < length) {
    if (text.charCodeAt(i) !== 34 /* " */) {
      i++;
      continue;
    }
    const start = i + 1;
    i = start;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (code === 92 /* \ */) i += 2;
      else if (code === 34) break;
      else i++;
    }
    const end = i;
    i++;
    if (!keyLengths.has(end - start) || !keySet.has(text.slice(start, end))) continue;

    let j = skipWhitespace(text, i);
    if (text.charCodeAt(j) !== 58 /* : */) continue;
    j = skipWhitespace(text, j + 1);
    const numberStart = j;
    if (text.charCodeAt(j) === 45 /* - */) j++;
    const digitsStart = j;
    while (j < length && isDigit(text.charCodeAt(j))) j++;
    const next = text.charCodeAt(j);
    // A fraction or exponent makes it a non-integer: JSON.parse's reading is the right one.
    if (j === digitsStart || next === 46 /* . */ || next === 101 /* e */ || next === 69 /* E */) continue;
    if (exceedsSafeInteger(text.slice(digitsStart, j))) {
      pieces.push(text.slice(copiedUpTo, numberStart), '"', text.slice(numberStart, j), '"');
      copiedUpTo = j;
    }
    i = j;
  }
  if (copiedUpTo === 0) return JSON.parse(text);
  pieces.push(text.slice(copiedUpTo));
  return JSON.parse(pieces.join(''));
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) break;
    i++;
  }
  return i;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function exceedsSafeInteger(digits: string): boolean {
  const significant = digits.replace(/^0+(?=\d)/, '');
  if (significant.length !== MAX_SAFE_DIGITS.length) return significant.length > MAX_SAFE_DIGITS.length;
  return significant > MAX_SAFE_DIGITS;
}
