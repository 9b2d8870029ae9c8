/**
 * Splits one intake payload (an HTTP body or a Kafka record value) into alert candidates:
 * a JSON object, a JSON array of objects, NDJSON (Suricata EVE, Wazuh alerts.json), or text
 * lines (CEF over syslog). Parsing keeps big integers exact (Suricata flow_id exceeds 2^53).
 */
export type PayloadParse =
  { ok: true; items: unknown[] } | { ok: false; code: 'malformed_json' | 'empty_payload'; message: string };

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
      return { ok: true, items: Array.isArray(value) ? value : [value] };
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
      return { ok: true, items };
    }
  }
  return { ok: true, items: trimmed.split(/\r?\n/).filter((line) => line.trim().length > 0) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
