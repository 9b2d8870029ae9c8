/**
 * JSON text with object keys sorted at every level, so that two deliveries of the same document
 * give the same text whatever order their keys arrived in. Follows JSON.stringify otherwise
 * (undefined and functions are skipped in objects and become null in arrays, non-finite numbers
 * become null), except that bigints are written as numbers, and that a cycle, or nesting deeper
 * than 512 levels, is written as null instead of overflowing the stack.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set<object>()) ?? 'null';
}

const MAX_DEPTH = 512;

function write(value: unknown, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (ancestors.has(value) || ancestors.size >= MAX_DEPTH) return 'null';
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'null' : JSON.stringify(value.toISOString());

  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value as unknown[]) items.push(write(item, ancestors) ?? 'null');
    out = `[${items.join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const written = write(record[key], ancestors);
      if (written !== undefined) members.push(`${JSON.stringify(key)}:${written}`);
    }
    out = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return out;
}
