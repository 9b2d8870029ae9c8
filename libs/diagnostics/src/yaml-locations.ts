import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

/** A path into a parsed YAML value: keys and array indexes, e.g. `rules`, 2, `within`. */
export type PathSegment = string | number;

/**
 * The 1-based line of the node at `path`, or of the nearest enclosing node that exists, so a
 * missing field is reported on the entry that lacks it. `atKey` points at the key rather than its
 * value (for problems with the key itself, e.g. an unknown field).
 */
export function locateInYaml(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  atKey = false,
): number | null {
  return positionInYaml(document, lineCounter, path, atKey)?.line ?? null;
}

/** Like `locateInYaml`, with the 1-based column too. */
export function positionInYaml(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  atKey = false,
): { line: number; column: number } | null {
  let node: unknown = document.contents;
  let found: Node | null = isNode(node) ? node : null;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) break;
      const last = index === path.length - 1;
      if ((last && atKey) || !isNode(pair.value)) {
        if (isNode(pair.key)) found = pair.key;
        break;
      }
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      break;
    }
    if (!isNode(node)) break;
    found = node;
  }
  const offset = found?.range?.[0];
  if (offset === undefined) return null;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** `rules[2].within` */
export function formatYamlPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

/** The plain value at `path` inside a parsed document, or undefined. */
export function valueAtPath(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isPlainRecord(current) && typeof segment === 'string') current = current[segment];
    else return undefined;
  }
  return current;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
