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
