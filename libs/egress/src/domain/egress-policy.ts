import ipaddr from 'ipaddr.js';

import {
  embeddedIpv4Networks,
  type IpNetwork,
  networkContains,
  parseIpAddress,
  parseIpNetwork,
} from '@rampart/network';

/** Host names of cloud instance metadata services: refused unless an allow-list entry names them. */
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.internal',
  'instance-data',
  'instance-data.ec2.internal',
]);

const HOST_PATTERN =
  /^(\*\.)?(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/;

/** Why a destination is refused. Said to operators and in logs, never in a connector check answer. */
export interface EgressDenial {
  host: string;
  address?: string;
  reason: string;
}

/** An allow-list entry that is neither a CIDR, an address nor a host name (pattern). */
export class EgressAllowListError extends Error {}

/**
 * Where connectors (and anything else that calls out, such as report webhooks) may connect. By
 * default only public unicast addresses: loopback, private (RFC 1918, unique local), link-local
 * (and so cloud metadata), carrier-grade NAT, multicast, documentation, reserved and the other
 * special-purpose ranges are refused, in their IPv6 forms too (IPv4-mapped, NAT64, 6to4, whose
 * embedded IPv4 address is judged), and so are the metadata host names. The allow-list
 * (SOAR_EGRESS_ALLOW) opts in: CIDRs or addresses, and host names (`fw.corp.example`, or
 * `*.corp.example` for its subdomains) whose addresses may then be anything.
 */
export class EgressPolicy {
  readonly #networks: IpNetwork[];
  readonly #hosts: Set<string>;
  readonly #suffixes: string[];

  private constructor(networks: IpNetwork[], hosts: string[]) {
    this.#networks = networks;
    this.#hosts = new Set(hosts.filter((host) => !host.startsWith('*.')));
    this.#suffixes = hosts.filter((host) => host.startsWith('*.')).map((host) => host.slice(1));
  }

  /** Only public unicast destinations. */
  static strict(): EgressPolicy {
    return new EgressPolicy([], []);
  }

  /** Throws {@link EgressAllowListError} naming the first entry that is not a CIDR, address or host name. */
  static fromAllowList(entries: readonly string[]): EgressPolicy {
    const networks: IpNetwork[] = [];
    const hosts: string[] = [];
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      if (entry === '') continue;
      const network = parseIpNetwork(entry);
      if (network) networks.push(network);
      else if (HOST_PATTERN.test(entry.replace(/\.$/, ''))) hosts.push(entry.replace(/\.$/, ''));
      else throw new EgressAllowListError(`"${raw}" is not a CIDR, an IP address or a host name`);
    }
    return new EgressPolicy(networks, hosts);
  }

  /**
   * What can be said of a URL's host before resolving it: a literal address is judged as the
   * address it is; a metadata host name is refused unless allow-listed.
   */
  checkHost(host: string): EgressDenial | null {
    const name = normalizeHost(host);
    const literal = parseIpAddress(name);
    if (literal) return this.checkAddress(literal.text, name);
    if (METADATA_HOSTS.has(name) && !this.#hostAllowed(name)) {
      return { host: name, reason: 'a cloud metadata service name' };
    }
    return null;
  }

  /** Whether a connection to `address`, reached by resolving `host`, may be made. */
  checkAddress(address: string, host: string): EgressDenial | null {
    const name = normalizeHost(host);
    const parsed = parseIpAddress(address);
    if (!parsed) return { host: name, address, reason: 'not an IP address' };
    const target = parseIpNetwork(parsed.text) as IpNetwork;
    if (this.#networks.some((network) => networkContains(network, target))) return null;
    if (parseIpAddress(name) === null && this.#hostAllowed(name)) return null;
    const special = specialRange(target);
    return special === null ? null : { host: name, address: parsed.text, reason: special };
  }

  #hostAllowed(name: string): boolean {
    return this.#hosts.has(name) || this.#suffixes.some((suffix) => name.endsWith(suffix));
  }
}

/** The special-purpose range `target` lies in (by ipaddr.js's table, embedded IPv4 included), or null. */
function specialRange(target: IpNetwork): string | null {
  const range = ipaddr.parse(target.address).range();
  if (target.family === 6 && ['rfc6052', '6to4', 'rfc6145', 'ipv4Mapped'].includes(range)) {
    for (const embedded of embeddedIpv4Networks(target)) {
      const inner = specialRange(embedded);
      if (inner !== null) return `${inner} (embedded in ${range})`;
    }
    return null;
  }
  return range === 'unicast' ? null : range;
}

function normalizeHost(host: string): string {
  let name = host.trim().toLowerCase().replace(/\.$/, '');
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  return name;
}
