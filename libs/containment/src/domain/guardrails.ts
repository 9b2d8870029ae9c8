import type { ContainmentOperation, NetworkTarget } from '@rampart/connectors';
import { embeddedIpv4Networks, networksOverlap } from '@rampart/network';

/**
 * Guardrails on every containment action, whoever asks for it (a person through the API, a
 * playbook): protected assets are never acted on, blast-radius limits make a person approve what
 * goes beyond them, and two requests for the same change end in one effective action.
 */

export const PROTECTED_ASSET_KINDS = ['cidr', 'host', 'user', 'tag'] as const;
export type ProtectedAssetKind = (typeof PROTECTED_ASSET_KINDS)[number];

/** Operations a guardrail applies to: the ones that cut something off. Undos and notices never. */
export const GUARDED_OPERATIONS = [
  'block_ip',
  'isolate_host',
  'disconnect_sessions',
  'quarantine_user',
] as const satisfies readonly ContainmentOperation[];

export interface ProtectedAsset {
  id: string;
  kind: ProtectedAssetKind;
  /** Canonical: a CIDR, a lower-case host or user name, a lower-case tag. */
  value: string;
  /** The operations it is protected from; null: every guarded operation. */
  operations: ContainmentOperation[] | null;
  reason: string | null;
  source: 'api' | 'file';
}

/** What the checks need from the network helpers (connectors' parseNetworkTarget). */
export type ParseNetwork = (text: string) => NetworkTarget;

export function isGuarded(operation: ContainmentOperation): boolean {
  return (GUARDED_OPERATIONS as readonly string[]).includes(operation);
}

/** The canonical value of a protected asset, or why it is not one. */
export function canonicalAssetValue(
  kind: ProtectedAssetKind,
  value: string,
  parseNetwork: ParseNetwork,
): { ok: true; value: string } | { ok: false; problem: string } {
  const trimmed = value.trim();
  // eslint-disable-next-line no-control-regex
  if (trimmed.length === 0 || trimmed.length > 256 || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    return { ok: false, problem: 'must be 1-256 printable characters' };
  }
  if (kind === 'cidr') {
    try {
      return { ok: true, value: parseNetwork(trimmed).cidr };
    } catch {
      return { ok: false, problem: 'must be an IP address or CIDR' };
    }
  }
  return { ok: true, value: trimmed.toLowerCase() };
}

/**
 * The protected asset that forbids `operation` on `target` (already in canonical spelling), or
 * undefined. CIDRs protect network targets that overlap them (in their IPv6 forms of IPv4 too) and
 * hosts named by an address inside them; host names protect the host and its fully qualified names (`dc01` protects
 * `dc01.corp.example`); user names protect the account under any domain spelling (`CORP\jdoe`,
 * `jdoe@corp.example`); tags protect whatever the request's context carries them.
 */
export function protectingAsset(
  assets: readonly ProtectedAsset[],
  request: { operation: ContainmentOperation; target: string; tags: readonly string[] },
  parseNetwork: ParseNetwork,
): ProtectedAsset | undefined {
  if (!isGuarded(request.operation)) return undefined;
  const tags = new Set(request.tags.map((tag) => tag.toLowerCase()));
  const target = request.target.toLowerCase();
  const network = networkOf(target, parseNetwork);
  return assets.find((asset) => {
    if (asset.operations !== null && !asset.operations.includes(request.operation)) return false;
    switch (asset.kind) {
      case 'cidr': {
        if (network === undefined) return false;
        // An IPv6 target that carries an IPv4 address (NAT64, 6to4) is that address too.
        const range = parseNetwork(asset.value);
        return [network, ...embeddedIpv4Networks(network)].some((candidate) =>
          networksOverlap(range, candidate),
        );
      }
      case 'host':
        return (
          request.operation === 'isolate_host' &&
          (target === asset.value || target.startsWith(`${asset.value}.`))
        );
      case 'user':
        return userTargeted(request.operation) && accountOf(target) === accountOf(asset.value);
      case 'tag':
        return tags.has(asset.value);
    }
  });
}

function userTargeted(operation: ContainmentOperation): boolean {
  return operation === 'disconnect_sessions' || operation === 'quarantine_user';
}

/** `corp\jdoe`, `jdoe@corp.example` and `jdoe` all name the account `jdoe`. */
function accountOf(user: string): string {
  const lower = user.toLowerCase();
  const afterBackslash = lower.includes('\\') ? lower.slice(lower.lastIndexOf('\\') + 1) : lower;
  return afterBackslash.includes('@') ? afterBackslash.slice(0, afterBackslash.indexOf('@')) : afterBackslash;
}

function networkOf(target: string, parseNetwork: ParseNetwork): NetworkTarget | undefined {
  try {
    return parseNetwork(target);
  } catch {
    return undefined;
  }
}

/** At most `max` actions of `operation` within `windowMs` (global), or per incident. */
export interface BlastRadiusLimit {
  operation: ContainmentOperation;
  scope: 'global' | 'incident';
  max: number;
  /** Global limits count a sliding window; incident limits count the incident's whole life. */
  windowMs: number | null;
}

/**
 * Reads `operation=max/window` (global, sliding window: 1h, 30m...) and `operation=max/incident`
 * items, comma-separated; `none` for no limit. Returns the limits and every problem found.
 */
export function parseBlastRadiusLimits(
  text: string,
  parseDurationMs: (text: string) => number | null,
): { limits: BlastRadiusLimit[]; problems: string[] } {
  const limits: BlastRadiusLimit[] = [];
  const problems: string[] = [];
  if (text.trim() === 'none') return { limits, problems };
  for (const item of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([a-z_]+)=(\d{1,6})\/([a-z0-9]+)$/.exec(item);
    const operation = match?.[1] as ContainmentOperation | undefined;
    if (!match || !operation || !(GUARDED_OPERATIONS as readonly string[]).includes(operation)) {
      problems.push(
        `"${item}" is not operation=max/window or operation=max/incident with operation one of ${GUARDED_OPERATIONS.join(', ')}`,
      );
      continue;
    }
    const max = Number(match[2]);
    if (match[3] === 'incident') {
      limits.push({ operation, scope: 'incident', max, windowMs: null });
      continue;
    }
    const windowMs = parseDurationMs(match[3] as string);
    if (windowMs === null) problems.push(`"${item}": ${match[3]} is not a duration like 1h or 30m`);
    else limits.push({ operation, scope: 'global', max, windowMs });
  }
  return { limits, problems };
}
