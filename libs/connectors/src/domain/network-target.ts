import {
  embeddedIpv4Networks,
  type IpNetwork,
  ipv4Netmask,
  ipv4PrefixFromNetmask,
  networksOverlap,
  parseIpNetwork,
} from '@rampart/network';

import { invalidRequest } from './connector-error';

export { ipv4Netmask, ipv4PrefixFromNetmask };

/** A validated IP or CIDR, in one canonical spelling so "is it blocked" compares like with like. */
export interface NetworkTarget extends IpNetwork {
  /** True for a single address (/32 or /128). */
  isHost: boolean;
}

/**
 * Parse `1.2.3.4`, `10.0.0.0/24`, `2001:db8::1` or `2001:db8::/64` (see parseIpNetwork: IPv6 in
 * RFC 5952 form, IPv4-mapped forms as IPv4); `invalid_request` otherwise.
 */
export function parseNetworkTarget(input: string): NetworkTarget {
  const network = parseIpNetwork(typeof input === 'string' ? input : '');
  if (network === null) {
    const prefix = typeof input === 'string' ? /\/(\d+)$/.exec(input.trim())?.[1] : undefined;
    if (prefix !== undefined && parseIpNetwork(input.trim().replace(/\/\d+$/, '')) !== null) {
      throw invalidRequest(`CIDR prefix must be 0-${input.includes(':') ? 128 : 32}`);
    }
    throw invalidRequest('target must be an IP address or CIDR');
  }
  return { ...network, isHost: network.prefix === (network.family === 4 ? 32 : 128) };
}

/** Shortest prefixes a block may take: anything broader is a mistake, not a containment. */
export const SHORTEST_BLOCK_PREFIX = { 4: 8, 6: 32 } as const;

/** Addresses that are never an attacker's, and whose blocking breaks the firewall's own host. */
const NEVER_BLOCKED: ReadonlyArray<{ network: IpNetwork; what: string }> = [
  { cidr: '0.0.0.0/8', what: '"this network"' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '169.254.0.0/16', what: 'link-local (and cloud metadata)' },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '240.0.0.0/4', what: 'reserved or broadcast' },
  { cidr: '::/128', what: 'the unspecified address' },
  { cidr: '::1/128', what: 'loopback' },
  { cidr: 'fe80::/10', what: 'link-local' },
  { cidr: 'ff00::/8', what: 'multicast' },
].map(({ cidr, what }) => ({ network: parseIpNetwork(cidr) as IpNetwork, what }));

/**
 * Why blocking `target` would be a mistake (a range too broad, or special-purpose addresses), or
 * undefined. An IPv6 target is also judged by the IPv4 addresses it embeds (NAT64, 6to4...), so
 * 64:ff9b::a9fe:a9fe is the metadata address it is. Unblocking is never refused, so an earlier
 * mistake can always be undone.
 */
export function blockRefusal(target: NetworkTarget): string | undefined {
  const shortest = SHORTEST_BLOCK_PREFIX[target.family];
  if (target.prefix < shortest) {
    return `must be a /${shortest} or narrower IPv${target.family} range (${target.cidr} is too broad to block)`;
  }
  for (const candidate of [target, ...embeddedIpv4Networks(target)]) {
    for (const special of NEVER_BLOCKED) {
      if (networksOverlap(special.network, candidate)) {
        const via = candidate === target ? '' : `, which embeds ${candidate.cidr}`;
        return `must not be ${special.what} (${target.cidr}${via}): never an attacker's address`;
      }
    }
  }
  return undefined;
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
