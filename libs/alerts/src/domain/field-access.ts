// Safe reads from untrusted parsed JSON. Every lookup goes through own-property checks so that keys
// such as "__proto__" or "constructor" in an alert never resolve to Object.prototype members.

export type JsonRecord = Record<string, unknown>;

const hasOwnProperty = Object.prototype.hasOwnProperty;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function hasOwn(record: JsonRecord, key: string): boolean {
  return hasOwnProperty.call(record, key);
}

export function own(record: unknown, key: string): unknown {
  return isRecord(record) && hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/**
 * Reads a dotted path from a document that may mix flat dotted keys ("kibana.alert.rule.name")
 * with nested objects ({ host: { name } }), in any combination, as Elasticsearch `_source` does.
 * The whole remaining path is tried as one key first (the flat form), then each dotted prefix.
 */
export function getField(document: unknown, path: string): unknown {
  return lookup(document, path, 0);
}

function lookup(node: unknown, path: string, start: number): unknown {
  if (!isRecord(node)) return undefined;
  const step = pathStep(path, start);
  if (hasOwnProperty.call(node, step.rest)) return node[step.rest];
  for (const prefix of step.prefixes) {
    if (hasOwnProperty.call(node, prefix.key)) {
      const found = lookup(node[prefix.key], path, prefix.next);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** How a path is read from one of its positions on: the rest as one key, then each dotted prefix. */
interface PathStep {
  rest: string;
  /** Each prefix up to a dot, and where the path goes on after that dot. */
  prefixes: { key: string; next: number }[];
}

/**
 * The steps of the paths read so far, by path, then by position. The normalizers read a few
 * hundred fixed paths for every alert: their keys are cut once, not per alert (a key string kept
 * is also looked up faster than a new one). A path beyond the bound is cut afresh each time.
 */
const PATH_STEPS = new Map<string, Map<number, PathStep>>();
const MAX_KEPT_PATHS = 2_000;

function pathStep(path: string, start: number): PathStep {
  let steps = PATH_STEPS.get(path);
  if (steps === undefined) {
    steps = new Map();
    if (PATH_STEPS.size < MAX_KEPT_PATHS) PATH_STEPS.set(path, steps);
  }
  let step = steps.get(start);
  if (step === undefined) {
    const prefixes: PathStep['prefixes'] = [];
    for (let dot = path.indexOf('.', start); dot !== -1; dot = path.indexOf('.', dot + 1))
      prefixes.push({ key: path.slice(start, dot), next: dot + 1 });
    step = { rest: start === 0 ? path : path.slice(start), prefixes };
    steps.set(start, step);
  }
  return step;
}

/** A non-empty trimmed string, a finite number as text, or null. Arrays yield their first usable item. */
export function asText(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = asText(item);
      if (text !== null) return text;
    }
  }
  return null;
}

/** Every usable text value: a scalar gives at most one, an array gives each usable item. */
export function asTextList(value: unknown): string[] {
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const item of value) {
      if (typeof item === 'string' || typeof item === 'number') {
        const text = asText(item);
        if (text !== null) out.push(text);
      }
    }
    return out;
  }
  const text = asText(value);
  return text === null ? [] : [text];
}

/** A finite number, also from a numeric string ("15", " 2 "); null otherwise. */
export function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '' || trimmed.length > 32) return null;
    const parsed = Number(trimmed);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

export function asInteger(value: unknown): number | null {
  const parsed = asNumber(value);
  return parsed !== null && Number.isInteger(parsed) ? parsed : null;
}

export function asRecordList(value: unknown): JsonRecord[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

/** The text of the first candidate path that has one. */
export function firstText(document: unknown, paths: readonly string[]): string | null {
  for (const path of paths) {
    const text = asText(getField(document, path));
    if (text !== null) return text;
  }
  return null;
}

/**
 * An Elasticsearch/OpenSearch search hit (`{ _index, _id, _source }`) is unwrapped to its
 * document; anything else is returned as is.
 */
export function unwrapSearchHit(input: unknown): { document: unknown; hitId: string | null } {
  if (isRecord(input) && hasOwn(input, '_source') && isRecord(input['_source'])) {
    return { document: input['_source'], hitId: asText(own(input, '_id')) };
  }
  return { document: input, hitId: null };
}
