// The one place Rampart reads IP addresses and networks, for alert entities, containment targets
// and the egress policy alike. Parsing is ipaddr.js's; the strictness and the canonical forms are
// ours. IPv4 is accepted only as four decimal parts without leading zeros (`127.1`, `0x7f.0.0.1`,
// `010.0.0.1` and `2130706433` are spellings other parsers read differently, so none is an
// address here), and an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address it maps.
import ipaddr from 'ipaddr.js';

export type IpFamily = 4 | 6;

/** An address in canonical text: dotted decimal, or RFC 5952 for IPv6 (lower case, `::` rules). */
export interface IpAddress {
  family: IpFamily;
  text: string;
}

/** A network: its canonical address with host bits cleared, and its prefix length. */
export interface IpNetwork {
  family: IpFamily;
  address: string;
  prefix: number;
  /** `address/prefix`. */
  cidr: string;
}

const MAX_TEXT = 64;

/** Four decimal parts without leading zeros: the only IPv4 spelling read (ranges checked after). */
const FOUR_PART_DECIMAL = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;

/**
 * The address `text` names, canonical, or null. Surrounding spaces and brackets and an IPv6 zone
 * index (`%eth0`) are dropped; a prefix, a port or any other spelling is not an address.
 */
export function parseIpAddress(text: string): IpAddress | null {
  if (typeof text !== 'string') return null;
  let value = text.trim();
  if (value.length < 2 || value.length > MAX_TEXT) return null;
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  if (value.includes(':')) {
    const zone = value.indexOf('%');
    if (zone !== -1) value = value.slice(0, zone);
    if (!ipaddr.IPv6.isValid(value) || !strictIpv4Tail(value)) return null;
    const parsed = ipaddr.IPv6.parse(value);
    if (parsed.isIPv4MappedAddress()) return { family: 4, text: parsed.toIPv4Address().toString() };
    return { family: 6, text: parsed.toRFC5952String() };
  }
  // Shape first: ipaddr.js answers a host name by throwing and catching an error, which took more
  // than half of normalizing an alert in a CPU profile of the storm (host names are asked here).
  if (!FOUR_PART_DECIMAL.test(value) || !ipaddr.IPv4.isValidFourPartDecimal(value)) return null;
  return { family: 4, text: ipaddr.IPv4.parse(value).toString() };
}

/** {@link parseIpAddress}'s canonical text, or null. */
export function canonicalIp(text: string): string | null {
  return parseIpAddress(text)?.text ?? null;
}

/** True for 0.0.0.0 and ::, which name no host. */
export function isUnspecifiedIp(canonical: string): boolean {
  return canonical === '0.0.0.0' || canonical === '::';
}

/**
 * `1.2.3.4`, `10.0.0.0/24`, `2001:db8::1` or `2001:db8::/64` as a network (an address alone is a
 * /32 or /128), host bits cleared; null for anything else. An IPv4-mapped IPv6 network of prefix
 * 96 or more is the IPv4 network it maps (`::ffff:0:0/96` is 0.0.0.0/0); a shorter one stays IPv6.
 */
export function parseIpNetwork(text: string): IpNetwork | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const prefixText = slash === -1 ? undefined : trimmed.slice(slash + 1);
  if (addressText.includes('%') || addressText.startsWith('[')) return null;
  let family: IpFamily;
  let value: bigint;
  if (addressText.includes(':')) {
    if (!ipaddr.IPv6.isValid(addressText) || !strictIpv4Tail(addressText)) return null;
    family = 6;
    value = bytesToBigInt(ipaddr.IPv6.parse(addressText).toByteArray());
  } else {
    if (!ipaddr.IPv4.isValidFourPartDecimal(addressText)) return null;
    family = 4;
    value = bytesToBigInt(ipaddr.IPv4.parse(addressText).toByteArray());
  }
  const bits = family === 4 ? 32 : 128;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return null;
    prefix = Number(prefixText);
  }
  if (family === 6 && prefix >= 96 && value >> 32n === 0xffffn) {
    family = 4;
    prefix -= 96;
    value &= 0xffffffffn;
  }
  return network(family, value, prefix);
}

/** Whether `outer` holds every address of `inner`. */
export function networkContains(outer: IpNetwork, inner: IpNetwork | IpAddress): boolean {
  const other = 'prefix' in inner ? inner : (parseIpNetwork(inner.text) as IpNetwork);
  if (outer.family !== other.family || other.prefix < outer.prefix) return false;
  const [start, end] = bounds(outer);
  const [otherStart] = bounds(other);
  return otherStart >= start && otherStart <= end;
}

export function networksOverlap(a: IpNetwork, b: IpNetwork): boolean {
  if (a.family !== b.family) return false;
  const [aStart, aEnd] = bounds(a);
  const [bStart, bEnd] = bounds(b);
  return aStart <= bEnd && bStart <= aEnd;
}

/**
 * IPv6 ranges whose addresses carry an IPv4 address, and where: NAT64 (RFC 6052, 64:ff9b::/96
 * and the local-use 64:ff9b:1::/48), SIIT (RFC 6145, ::ffff:0:0:0/96), 6to4 (2002::/16) and the
 * deprecated IPv4-compatible ::/96. A check on the IPv4 address must hold for these forms too.
 */
const IPV4_EMBEDDING: ReadonlyArray<{ range: IpNetwork; ipv4Offset: number }> = [
  { range: parseIpNetwork('64:ff9b::/96') as IpNetwork, ipv4Offset: 96 },
  { range: parseIpNetwork('64:ff9b:1::/48') as IpNetwork, ipv4Offset: 96 },
  { range: parseIpNetwork('::ffff:0:0:0/96') as IpNetwork, ipv4Offset: 96 },
  { range: parseIpNetwork('2002::/16') as IpNetwork, ipv4Offset: 16 },
  { range: parseIpNetwork('::/96') as IpNetwork, ipv4Offset: 96 },
];

/**
 * The IPv4 networks an IPv6 network reaches through the embedding ranges above (all of IPv4 when
 * it is wider than the part that carries the IPv4 address); none for an IPv4 network.
 */
export function embeddedIpv4Networks(target: IpNetwork): IpNetwork[] {
  if (target.family !== 6) return [];
  const [start] = bounds(target);
  const out: IpNetwork[] = [];
  for (const { range, ipv4Offset } of IPV4_EMBEDDING) {
    if (!networksOverlap(range, target)) continue;
    const prefix = Math.max(0, Math.min(32, target.prefix - ipv4Offset));
    const ipv4 = (start >> BigInt(128 - ipv4Offset - 32)) & 0xffffffffn;
    out.push(network(4, ipv4, prefix));
  }
  return out;
}

/** Dotted netmask for an IPv4 prefix, e.g. 24 -> 255.255.255.0. */
export function ipv4Netmask(prefix: number): string {
  return ipaddr.IPv4.subnetMaskFromPrefixLength(prefix).toString();
}

/** The prefix of a dotted IPv4 netmask, or undefined when it is not a contiguous mask. */
export function ipv4PrefixFromNetmask(mask: string): number | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(mask)) return undefined;
  return ipaddr.IPv4.parse(mask).prefixLengthFromSubnetMask() ?? undefined;
}

function network(family: IpFamily, value: bigint, prefix: number): IpNetwork {
  const bits = family === 4 ? 32 : 128;
  const hostBits = BigInt(bits - prefix);
  const masked = (value >> hostBits) << hostBits;
  const address = format(family, masked);
  return { family, address, prefix, cidr: `${address}/${prefix}` };
}

function bounds(target: IpNetwork): [bigint, bigint] {
  const bits = target.family === 4 ? 32 : 128;
  const parsed = ipaddr.parse(target.address);
  const start = bytesToBigInt(parsed.toByteArray());
  return [start, start + (1n << BigInt(bits - target.prefix)) - 1n];
}

function format(family: IpFamily, value: bigint): string {
  const length = family === 4 ? 4 : 16;
  const bytes: number[] = [];
  for (let index = length - 1; index >= 0; index--) bytes.push(Number((value >> BigInt(index * 8)) & 0xffn));
  const address = ipaddr.fromByteArray(bytes);
  return address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
}

function bytesToBigInt(bytes: number[]): bigint {
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

/** An IPv6 address ending in dotted IPv4 must spell that part strictly too. */
function strictIpv4Tail(text: string): boolean {
  const tail = text.slice(text.lastIndexOf(':') + 1);
  return !tail.includes('.') || ipaddr.IPv4.isValidFourPartDecimal(tail);
}
