import { isIPv4, isIPv6 } from 'node:net';

import { invalidRequest } from './connector-error';

/** A validated IP or CIDR, in one canonical spelling so "is it blocked" compares like with like. */
export interface NetworkTarget {
  family: 4 | 6;
  /** Network address (host bits cleared for IPv4). */
  address: string;
  prefix: number;
  /** `address/prefix`. */
  cidr: string;
  /** True for a single address (/32 or /128). */
  isHost: boolean;
}

/** Parse `1.2.3.4`, `10.0.0.0/24`, `2001:db8::1` or `2001:db8::/64`; `invalid_request` otherwise. */
export function parseNetworkTarget(input: string): NetworkTarget {
  const trimmed = typeof input === 'string' ? input.trim() : '';
  const [rawAddress = '', rawPrefix, extra] = trimmed.split('/');
  if (extra !== undefined) throw invalidRequest('target must be an IP address or CIDR');
  const family = isIPv4(rawAddress) ? 4 : isIPv6(rawAddress) ? 6 : undefined;
  if (family === undefined) throw invalidRequest('target must be an IP address or CIDR');
  const max = family === 4 ? 32 : 128;
  let prefix = max;
  if (rawPrefix !== undefined) {
    if (!/^\d{1,3}$/.test(rawPrefix) || Number(rawPrefix) > max) {
      throw invalidRequest(`CIDR prefix must be 0-${max}`);
    }
    prefix = Number(rawPrefix);
  }
  const address = family === 4 ? maskIPv4(rawAddress, prefix) : rawAddress.toLowerCase();
  return { family, address, prefix, cidr: `${address}/${prefix}`, isHost: prefix === max };
}

/** Shortest prefixes a block may take: anything broader is a mistake, not a containment. */
export const SHORTEST_BLOCK_PREFIX = { 4: 8, 6: 32 } as const;

/** Addresses that are never an attacker's, and whose blocking breaks the firewall's own host. */
const NEVER_BLOCKED: ReadonlyArray<{ cidr: string; what: string }> = [
  { cidr: '0.0.0.0/8', what: '"this network"' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local (and cloud metadata)' },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '240.0.0.0/4', what: 'reserved or broadcast' },
  { cidr: '::/128', what: 'the unspecified address' },
  { cidr: '::1/128', what: 'loopback' },
  { cidr: 'fe80::/10', what: 'link-local' },
  { cidr: 'ff00::/8', what: 'multicast' },
];

/**
 * Why blocking `target` would be a mistake (a range too broad, or special-purpose addresses), or
 * undefined. Unblocking is never refused, so an earlier mistake can always be undone.
 */
export function blockRefusal(target: NetworkTarget): string | undefined {
  const shortest = SHORTEST_BLOCK_PREFIX[target.family];
  if (target.prefix < shortest) {
    return `must be a /${shortest} or narrower IPv${target.family} range (${target.cidr} is too broad to block)`;
  }
  for (const special of NEVER_BLOCKED) {
    const range = parseNetworkTarget(special.cidr);
    if (range.family === target.family && overlaps(range, target)) {
      return `must not be ${special.what} (${target.cidr}): never an attacker's address`;
    }
  }
  return undefined;
}

function overlaps(a: NetworkTarget, b: NetworkTarget): boolean {
  const [aStart, aEnd] = bounds(a);
  const [bStart, bEnd] = bounds(b);
  return aStart <= bEnd && bStart <= aEnd;
}

function bounds(target: NetworkTarget): [bigint, bigint] {
  const bits = target.family === 4 ? 32 : 128;
  const value = target.family === 4 ? ipv4Value(target.address) : ipv6Value(target.address);
  const size = 1n << BigInt(bits - target.prefix);
  const start = (value / size) * size;
  return [start, start + size - 1n];
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) + BigInt(Number(octet)), 0n);
}

function ipv6Value(address: string): bigint {
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  const text = tail
    ? address.replace(tail, (v) => {
        const n = Number(ipv4Value(v));
        return `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
      })
    : address;
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const hextets =
    rest === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return hextets.reduce((acc, hextet) => (acc << 16n) + BigInt(parseInt(hextet, 16)), 0n);
}

/** Dotted netmask for an IPv4 prefix, e.g. 24 -> 255.255.255.0 (FortiGate `subnet` spelling). */
export function ipv4Netmask(prefix: number): string {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join('.');
}

export function ipv4PrefixFromNetmask(mask: string): number | undefined {
  if (!isIPv4(mask)) return undefined;
  const bits = mask
    .split('.')
    .map((octet) => Number(octet).toString(2).padStart(8, '0'))
    .join('');
  if (!/^1*0*$/.test(bits)) return undefined;
  const firstZero = bits.indexOf('0');
  return firstZero === -1 ? 32 : firstZero;
}

function maskIPv4(address: string, prefix: number): string {
  const value = address.split('.').reduce((acc, octet) => (acc << 8) + Number(octet), 0) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (value & mask) >>> 0;
  return [24, 16, 8, 0].map((shift) => (network >>> shift) & 0xff).join('.');
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

/** Host names end up inside vendor query languages (OData, FQL), so only DNS-shaped ones pass. */
export function assertHostname(value: string): string {
  if (typeof value !== 'string' || !HOSTNAME.test(value)) {
    throw invalidRequest('hostname must be a DNS name');
  }
  return value.toLowerCase();
}
