import { canonicalIp, isUnspecifiedIp } from '@rampart/network';

import { type AlertEntity, type EntityRole, type EntityType, userIdentity } from './normalized-alert';

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

// Windows authorities whose accounts exist on every machine (NT AUTHORITY\SYSTEM, BUILTIN\
// Administrators...): like WS1\admin, such an account names one machine's account, so it is
// scoped to the alert's host when the alert names exactly one.
// Built-in accounts every machine has; named without a domain, they are the alert's host's.
const MACHINE_LOCAL_ACCOUNTS = new Set([
  'root',
  'administrator',
  'admin',
  'guest',
  'system',
  'local service',
  'network service',
  'defaultaccount',
]);

const MACHINE_LOCAL_AUTHORITIES = new Set([
  'nt authority',
  'builtin',
  'nt service',
  'window manager',
  'font driver host',
  'iis apppool',
  'nt virtual machine',
]);

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

  /**
   * Addresses a host reports for itself (ECS host.ip, Wazuh agent.ip): loopback and link-local
   * addresses are dropped, since every machine has them and they would join unrelated alerts.
   */
  hostAddress(value: unknown, role: EntityRole): void {
    for (const text of texts(value)) {
      const ip = canonicalIp(text);
      if (ip !== null && !isLoopbackOrLinkLocal(ip)) this.pushIp(ip, role);
    }
  }

  /**
   * A user account: `DOMAIN\account`, `account@domain` (UPN or mail) or a bare account with its
   * domain given apart (ECS user.domain). Name and domain are kept apart on the entity; its value
   * is {@link userIdentity}, the key user correlation meets on.
   */
  user(value: unknown, role: EntityRole, domain?: unknown): void {
    const givenDomain = texts(domain)[0] ?? null;
    for (const text of texts(value)) {
      // A Windows SID (S-1-5-21-..., also as CrowdStrike's uid:<aid>:S-1-...) is no account name.
      if (text.length > 256 || /^(?:uid:[^:]*:)?s-\d+-\d+/i.test(text)) continue;
      const account = splitAccount(text);
      if (account === null) continue;
      const accountDomain = account.domain ?? givenDomain;
      const entity: AlertEntity =
        accountDomain === null
          ? { type: 'user', value: account.name.toLowerCase(), role }
          : {
              type: 'user',
              value: userIdentity(account.name, accountDomain),
              role,
              name: account.name.toLowerCase(),
              domain: accountDomain.toLowerCase(),
            };
      this.pushEntity(entity);
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
    const hosts = new Set(
      this.entities.filter((e) => e.type === 'host' && e.role !== 'observer').map((e) => e.value),
    );
    // Exactly one host: a machine-local account is that machine's (scope.value\account).
    const onlyHost = hosts.size === 1 ? ([...hosts][0] as string) : null;
    const scoped = this.entities.map((entity) => {
      if (onlyHost === null || entity.type !== 'user') return entity;
      if (
        entity.domain !== undefined &&
        entity.name !== undefined &&
        MACHINE_LOCAL_AUTHORITIES.has(entity.domain)
      )
        return { ...entity, value: userIdentity(entity.name, onlyHost) };
      // root, Administrator, SYSTEM... with no domain: every machine has one of its own.
      if (entity.domain === undefined && MACHINE_LOCAL_ACCOUNTS.has(entity.value))
        return {
          ...entity,
          value: userIdentity(entity.value, onlyHost),
          name: entity.value,
          domain: onlyHost,
        };
      return entity;
    });
    const specific = new Set<string>();
    for (const entity of scoped) {
      if (entity.role !== 'related') specific.add(`${entity.type}:${entity.value}`);
      // A bare related mention of an account already known with its domain adds nothing.
      if (entity.type === 'user' && entity.name !== undefined) specific.add(`user:${entity.name}`);
    }
    const seen = new Set<string>();
    return scoped.filter((entity) => {
      if (entity.role === 'related' && specific.has(`${entity.type}:${entity.value}`)) return false;
      const key = `${entity.type}\u0000${entity.value}\u0000${entity.role}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
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
    this.pushEntity({ type, value, role });
  }

  private pushEntity(entity: AlertEntity): void {
    const key = `${entity.type}\u0000${entity.value}\u0000${entity.role}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.entities.push(entity);
  }
}

/** `DOMAIN\account`, `account@domain`, or a bare account; null when the account part is empty. */
function splitAccount(text: string): { name: string; domain: string | null } | null {
  const backslash = text.indexOf('\\');
  if (backslash !== -1) {
    const domain = text.slice(0, backslash).trim();
    const name = text.slice(backslash + 1).trim();
    if (name === '' || PLACEHOLDERS.has(name.toLowerCase())) return null;
    return { name, domain: domain === '' || domain === '.' ? null : domain };
  }
  const at = text.lastIndexOf('@');
  if (at > 0 && at < text.length - 1) {
    return { name: text.slice(0, at).trim(), domain: text.slice(at + 1).trim() };
  }
  return { name: text, domain: null };
}

/** 127.0.0.0/8, ::1, 169.254.0.0/16 and fe80::/10: addresses every machine has. */
function isLoopbackOrLinkLocal(ip: string): boolean {
  if (ip.includes(':')) return ip === '::1' || /^fe[89ab][0-9a-f]:/.test(ip);
  return ip.startsWith('127.') || ip.startsWith('169.254.');
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
