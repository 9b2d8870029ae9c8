import { canonicalIp, isUnspecifiedIp } from '@rampart/network';
import type { AlertEntity, EntityRole, EntityType } from './normalized-alert';

// Values SIEMs write when a field has no value. Keeping them would make every alert that lacks a
// user share the "user:-" entity and correlate into one incident.
const PLACEHOLDERS = new Set([
  '-',
  '--',
  'null',
  'nil',
  'none',
  'n/a',
  'na',
  'undefined',
  'unknown',
  '(null)',
]);

const MAX_VALUE_LENGTH = 2048;

/**
 * Collects an alert's entities in canonical form, dropping empty, placeholder and invalid values
 * and duplicates. Setters take `unknown` so that normalizers can hand over raw field values
 * (string, array of strings, or anything else, which is ignored).
 */
export class EntityCollector {
  private readonly seen = new Set<string>();
  private readonly entities: AlertEntity[] = [];

  /** A host name; an IP address written in a host field is recorded as an IP with the same role. */
  host(value: unknown, role: EntityRole): void {
    this.nameOrIp('host', value, role);
  }

  ip(value: unknown, role: EntityRole): void {
    for (const text of texts(value)) {
      const ip = canonicalIp(text);
      if (ip !== null) this.pushIp(ip, role);
    }
  }

  user(value: unknown, role: EntityRole): void {
    for (const text of texts(value)) {
      if (text.length <= 256) this.push('user', text.toLowerCase(), role);
    }
  }

  /** md5, sha1 or sha256 hex digests; anything else (sha512, "sha1_value") is not a hash we key on. */
  fileHash(value: unknown, role: EntityRole = 'related'): void {
    for (const text of texts(value)) {
      if ((text.length === 32 || text.length === 40 || text.length === 64) && /^[0-9a-fA-F]+$/.test(text)) {
        this.push('file_hash', text.toLowerCase(), role);
      }
    }
  }

  /** A domain name; an IP address written in a domain field is recorded as an IP. */
  domain(value: unknown, role: EntityRole): void {
    this.nameOrIp('domain', value, role);
  }

  /**
   * Absolute URLs only: a bare path such as "/" or "/index.php" names nothing on its own and would
   * join unrelated alerts.
   */
  url(value: unknown, role: EntityRole): void {
    for (const text of texts(value)) {
      if (/^[A-Za-z][A-Za-z0-9+.-]{0,15}:\/\/[^\s/?#]+/.test(text) && !/\s/.test(text)) {
        this.push('url', text, role);
      }
    }
  }

  /** A process by executable path or name, as written (paths are case-sensitive on most systems). */
  process(value: unknown, role: EntityRole): void {
    for (const text of texts(value)) this.push('process', text, role);
  }

  /**
   * The entities in insertion order. A `related` entry is dropped when the same type and value
   * was also recorded with a specific role: it adds nothing, and correlation ignores roles.
   */
  build(): AlertEntity[] {
    const specific = new Set<string>();
    for (const entity of this.entities) {
      if (entity.role !== 'related') specific.add(`${entity.type}:${entity.value}`);
    }
    return this.entities.filter(
      (entity) => entity.role !== 'related' || !specific.has(`${entity.type}:${entity.value}`),
    );
  }

  private nameOrIp(type: 'host' | 'domain', value: unknown, role: EntityRole): void {
    for (const text of texts(value)) {
      const ip = canonicalIp(text);
      if (ip !== null) {
        this.pushIp(ip, role);
        continue;
      }
      const name = hostName(text);
      if (name !== null) this.push(type, name, role);
    }
  }

  private pushIp(ip: string, role: EntityRole): void {
    if (!isUnspecifiedIp(ip)) this.push('ip', ip, role);
  }

  private push(type: EntityType, value: string, role: EntityRole): void {
    const key = `${type}\u0000${value}\u0000${role}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.entities.push({ type, value, role });
  }
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') {
    const text = usable(value);
    return text === null ? [] : [text];
  }
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') continue;
    const text = usable(item);
    if (text !== null) out.push(text);
  }
  return out;
}

function usable(raw: string): string | null {
  const text = raw.trim();
  if (text === '' || text.length > MAX_VALUE_LENGTH) return null;
  if (text.length <= 9 && PLACEHOLDERS.has(text.toLowerCase())) return null;
  return text;
}

function hostName(text: string): string | null {
  if (text.length > 253 || /[\s/\\@]/.test(text)) return null;
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  return name === '' ? null : name.toLowerCase();
}
