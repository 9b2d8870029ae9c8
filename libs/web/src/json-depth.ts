const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Follows the nesting of JSON text over its raw bytes, chunk by chunk, without parsing it:
 * brackets count outside strings only (escapes respected). UTF-8 continuation bytes are never
 * ASCII, so bytes can be read as they come. Used to refuse a body nested too deep before
 * JSON.parse ever sees it: a megabyte of `[` costs one pass over the bytes, not a million arrays.
 */
export class JsonDepthGauge {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private exceeded = false;

  constructor(private readonly maxDepth: number) {}

  /** Feeds the next bytes; false once the nesting has gone deeper than `maxDepth`. */
  push(chunk: Uint8Array): boolean {
    if (this.exceeded) return false;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
      } else if (byte === QUOTE) {
        this.inString = true;
      } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
        if (++this.depth > this.maxDepth) {
          this.exceeded = true;
          return false;
        }
      } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
        this.depth = Math.max(0, this.depth - 1);
      }
    }
    return true;
  }
}

/** Whether the JSON text in `bytes` nests deeper than `maxDepth` arrays and objects. */
export function jsonNestsDeeperThan(bytes: Uint8Array, maxDepth: number): boolean {
  return !new JsonDepthGauge(maxDepth).push(bytes);
}
