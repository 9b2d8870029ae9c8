/**
 * Splits one intake payload (an HTTP body or a Kafka record value) into alert candidates:
 * a JSON object, a JSON array of objects, NDJSON (Suricata EVE, Wazuh alerts.json), or text
 * lines (CEF over syslog). Parsing keeps big integers exact (Suricata flow_id exceeds 2^53).
 */
export type PayloadParse =
  { ok: true; items: unknown[] } | { ok: false; code: 'malformed_json' | 'empty_payload'; message: string };

export function parseIntakePayload(text: string, parseJson: (text: string) => unknown): PayloadParse {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, code: 'empty_payload', message: 'the payload is empty' };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value = parseJson(trimmed);
      return { ok: true, items: Array.isArray(value) ? value : [value] };
    } catch (error) {
      const lines = trimmed.split(/\r?\n/).filter((line) => line.trim().length > 0);
      if (lines.length > 1 && lines.every((line) => line.trimStart().startsWith('{'))) {
        const items: unknown[] = [];
        for (const [index, line] of lines.entries()) {
          try {
            items.push(parseJson(line));
          } catch (lineError) {
            return {
              ok: false,
              code: 'malformed_json',
              message: `line ${index + 1}: ${describe(lineError)}`,
            };
          }
        }
        return { ok: true, items };
      }
      return { ok: false, code: 'malformed_json', message: describe(error) };
    }
  }
  return { ok: true, items: trimmed.split(/\r?\n/).filter((line) => line.trim().length > 0) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
