import { XMLParser } from 'fast-xml-parser';

/*
 * The PAN-OS fake's own XML reading and writing. Deliberately not shared with the adapter: if
 * both sides used one parser, a parsing mistake would agree with itself and the contract tests
 * would not see it.
 */

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'entry' || name === 'member',
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

export function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
