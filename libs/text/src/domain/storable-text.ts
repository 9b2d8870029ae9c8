// PostgreSQL refuses two things JavaScript strings can hold: the NUL character (text columns and
// jsonb alike) and unpaired UTF-16 surrogates (jsonb refuses their \uXXXX escapes; in plain text
// the UTF-8 encoder would silently turn them into U+FFFD anyway). SIEM payloads carry both now
// and then, so every string bound for the database is made storable the same way: each becomes
// U+FFFD, the replacement character, and nothing else changes.

const REPLACEMENT = '\ufffd';

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex
const MAYBE_UNSTORABLE = /[\u0000\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex
const MAYBE_UNSTORABLE_JSON = /[\u0000\ud800-\udfff]|\\u/;

/** `text` with every NUL and unpaired surrogate replaced by U+FFFD; the same string when clean. */
export function storableText(text: string): string {
  return MAYBE_UNSTORABLE.test(text) ? text.replace(UNSTORABLE, REPLACEMENT) : text;
}

/** True when {@link storableText} would change `text`. */
export function hasUnstorableText(text: string): boolean {
  return MAYBE_UNSTORABLE.test(text) && text.search(UNSTORABLE) !== -1;
}

/**
 * JSON text (as JSON.stringify writes it) made acceptable to jsonb: the escapes `\u0000` and those
 * of unpaired surrogates become `\ufffd`, raw NULs and raw unpaired surrogates become U+FFFD.
 * An escape is a backslash run of odd length before `u`: `\\u0000` (an escaped backslash, then
 * the text "u0000") is literal text and stays. Paired escapes (`\ud83d\ude00`) stay.
 */
export function storableJsonText(json: string): string {
  if (!MAYBE_UNSTORABLE_JSON.test(json)) return json;
  const text = storableText(json);
  if (!text.includes('\\u')) return text;
  let out = '';
  let copiedUpTo = 0;
  let i = text.indexOf('\\');
  while (i !== -1 && i < text.length) {
    let run = 1;
    while (text.charCodeAt(i + run) === 92 /* \ */) run++;
    const escapeAt = i + run - 1; // the backslash that escapes what follows, when the run is odd
    const next = i + run;
    if (run % 2 === 1 && text.charCodeAt(next) === 117 /* u */) {
      const code = hexAt(text, next + 1);
      if (code !== -1) {
        const end = next + 5;
        let keep = true;
        if (code === 0) keep = false;
        else if (code >= 0xd800 && code <= 0xdbff) {
          // A high surrogate escape stands only when a low surrogate escape follows at once.
          const low =
            text.charCodeAt(end) === 92 && text.charCodeAt(end + 1) === 117 ? hexAt(text, end + 2) : -1;
          if (low >= 0xdc00 && low <= 0xdfff) {
            i = text.indexOf('\\', end + 6);
            continue;
          }
          keep = false;
        } else if (code >= 0xdc00 && code <= 0xdfff) keep = false; // a low one not consumed by a pair
        if (!keep) {
          out += `${text.slice(copiedUpTo, escapeAt)}\\ufffd`;
          copiedUpTo = end;
        }
        i = text.indexOf('\\', end);
        continue;
      }
    }
    i = text.indexOf('\\', next);
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

function hexAt(text: string, start: number): number {
  if (start + 4 > text.length) return -1;
  let value = 0;
  for (let k = start; k < start + 4; k++) {
    const c = text.charCodeAt(k);
    const digit =
      c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (digit === -1) return -1;
    value = value * 16 + digit;
  }
  return value;
}
