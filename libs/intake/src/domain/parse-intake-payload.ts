/**
 * Splits one intake payload (an HTTP body or a Kafka record value) into alert candidates:
 * a JSON object, a JSON array of objects, NDJSON (Suricata EVE, Wazuh alerts.json), or text
 * lines (CEF over syslog). Parsing keeps big integers exact (Suricata flow_id exceeds 2^53).
 */
export type PayloadParse =
  | {
      ok: true;
      items: unknown[];
      /**
       * Each item's own bytes as received, as text: the whole payload for one object, the
       * element's exact source text in a JSON array, its line of NDJSON or CEF.
       */
      originals: string[];
    }
  | { ok: false; code: 'malformed_json' | 'empty_payload'; message: string };

/**
 * A line of a multi-line payload that could not be read. It stands in the items at its place, to
 * be rejected on its own: one bad line does not cost the alerts on the other lines.
 */
export class UnreadableLine {
  readonly code = 'malformed_json';

  constructor(
    /** The line as received, for a dead letter. */
    readonly text: string,
    /** Names the line and the parser's complaint. */
    readonly message: string,
  ) {}
}

export function parseIntakePayload(text: string, parseJson: (text: string) => unknown): PayloadParse {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, code: 'empty_payload', message: 'the payload is empty' };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value = parseJson(trimmed);
      if (!Array.isArray(value)) return { ok: true, items: [value], originals: [trimmed] };
      const originals = arrayElementTexts(trimmed);
      // The scanner agrees with the parser on any valid JSON; should it not, nothing is guessed.
      return {
        ok: true,
        items: value,
        originals: originals.length === value.length ? originals : value.map(() => ''),
      };
    } catch (error) {
      const lines = trimmed.split(/\r?\n/).filter((line) => line.trim().length > 0);
      if (lines.length === 1) return { ok: false, code: 'malformed_json', message: describe(error) };
      // NDJSON, possibly mixed with CEF lines: each line is an item, read on its own.
      const items = lines.map((line, index) => {
        const start = line.trimStart();
        if (!start.startsWith('{') && !start.startsWith('[')) return line;
        try {
          return parseJson(line);
        } catch (lineError) {
          return new UnreadableLine(line, `line ${index + 1}: ${describe(lineError)}`);
        }
      });
      const first = items[0];
      if (items.every((item) => item instanceof UnreadableLine) && first instanceof UnreadableLine) {
        return { ok: false, code: 'malformed_json', message: first.message };
      }
      return { ok: true, items, originals: lines.map((line) => line.trim()) };
    }
  }
  const lines = trimmed.split(/\r?\n/).filter((line) => line.trim().length > 0);
  return { ok: true, items: lines, originals: lines };
}

/**
 * The source text of each top-level element of a JSON array, exactly as written (without the
 * whitespace around it). One linear pass that tracks strings and nesting; the text must already
 * have parsed as JSON.
 */
export function arrayElementTexts(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92 /* \ */) i++;
      else if (code === 34 /* " */) inString = false;
      continue;
    }
    if (code === 34) {
      inString = true;
      if (depth === 1 && start === -1) start = i;
    } else if (code === 91 /* [ */ || code === 123 /* { */) {
      if (depth === 1 && start === -1) start = i;
      depth++;
    } else if (code === 93 /* ] */ || code === 125 /* } */) {
      depth--;
      if (depth === 0 && start !== -1) {
        out.push(text.slice(start, i).trim());
        start = -1;
      }
    } else if (code === 44 /* , */ && depth === 1) {
      if (start !== -1) out.push(text.slice(start, i).trim());
      start = -1;
    } else if (depth === 1 && start === -1 && code > 32) {
      start = i;
    }
  }
  return out;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
