export type { IpAddress, IpFamily, IpNetwork } from './domain/ip';
export {
  canonicalIp,
  embeddedIpv4Networks,
  ipv4Netmask,
  ipv4PrefixFromNetmask,
  isUnspecifiedIp,
  networkContains,
  networksOverlap,
  parseIpAddress,
  parseIpNetwork,
} from './domain/ip';
