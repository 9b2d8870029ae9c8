import { XMLParser } from 'fast-xml-parser';

/** Elements that repeat in PAN-OS answers and are always read as arrays. */
const ARRAYS = new Set(['entry', 'member', 'line']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
  // PAN-OS never sends a DTD; refusing entity expansion keeps "billion laughs" out.
  processEntities: false,
});

export type XmlNode = Record<string, unknown>;

export function parseXml(text: string): XmlNode {
  try {
    const parsed: unknown = parser.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as XmlNode) : {};
  } catch {
    return {};
  }
}

export function child(node: unknown, name: string): XmlNode {
  const value = node !== null && typeof node === 'object' ? (node as XmlNode)[name] : undefined;
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : {};
}

export function children(node: unknown, name: string): unknown[] {
  const value = node !== null && typeof node === 'object' ? (node as XmlNode)[name] : undefined;
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Text of a node that may be a bare string or `{ '#text': ... }`. */
export function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (node !== null && typeof node === 'object') {
    const inner = (node as XmlNode)['#text'];
    return typeof inner === 'string' ? inner : undefined;
  }
  return undefined;
}

export function attr(node: unknown, name: string): string | undefined {
  const value = node !== null && typeof node === 'object' ? (node as XmlNode)[`@_${name}`] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Escape text for an XML attribute or element we build. */
export function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Every message line of a PAN-OS `<response>` (msg, msg/line, result/msg, result/msg/line). */
export function responseMessage(response: XmlNode): string | undefined {
  const candidates = [child(response, 'msg'), child(child(response, 'result'), 'msg')];
  for (const msg of candidates) {
    const lines = children(msg, 'line')
      .map(text)
      .filter((line): line is string => !!line);
    if (lines.length > 0) return lines.join('; ');
  }
  return text(response.msg) ?? text(child(response, 'result').msg);
}
