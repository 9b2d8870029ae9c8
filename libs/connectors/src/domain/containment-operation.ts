import { parseIpAddress } from '@rampart/network';

import { Capability } from './capability';
import { isConnectorError } from './connector-error';
import { assertHostname, blockRefusal, parseNetworkTarget } from './network-target';

export const CONTAINMENT_OPERATIONS = [
  'block_ip',
  'unblock_ip',
  'isolate_host',
  'release_host',
  'disconnect_sessions',
  'quarantine_user',
  'release_user',
  'notify',
  'collect_forensics',
] as const;
/** What a containment action does, independent of the vendor. */
export type ContainmentOperation = (typeof CONTAINMENT_OPERATIONS)[number];

/** What an operation's `target` names. */
export type TargetKind = 'network' | 'host' | 'user' | 'message';

interface OperationRule {
  capability: Capability;
  target: TargetKind;
  /** The operation that undoes this one; absent = not reversible (and so cannot expire). */
  undo?: ContainmentOperation;
}

const RULES: Readonly<Record<ContainmentOperation, OperationRule>> = {
  block_ip: { capability: 'firewall', target: 'network', undo: 'unblock_ip' },
  unblock_ip: { capability: 'firewall', target: 'network' },
  isolate_host: { capability: 'edr', target: 'host', undo: 'release_host' },
  release_host: { capability: 'edr', target: 'host' },
  // Ended sessions cannot be restored, and a sent message cannot be unsent.
  disconnect_sessions: { capability: 'vpn', target: 'user' },
  quarantine_user: { capability: 'vpn', target: 'user', undo: 'release_user' },
  release_user: { capability: 'vpn', target: 'user' },
  notify: { capability: 'notify', target: 'message' },
  // Evidence gathering, not containment; nothing to undo.
  collect_forensics: { capability: 'edr', target: 'host' },
};

/** Longest expiry accepted: 30 days, the longest any vendor keeps a timed block itself (PAN-OS). */
export const MAX_EXPIRY_SECONDS = 2_592_000;

export function isContainmentOperation(value: string): value is ContainmentOperation {
  return (CONTAINMENT_OPERATIONS as readonly string[]).includes(value);
}

export function capabilityOf(operation: ContainmentOperation): Capability {
  return RULES[operation].capability;
}

export function targetKindOf(operation: ContainmentOperation): TargetKind {
  return RULES[operation].target;
}

/** The operation that undoes `operation`, or undefined when it cannot be undone. */
export function undoOperationOf(operation: ContainmentOperation): ContainmentOperation | undefined {
  return RULES[operation].undo;
}

export function isReversible(operation: ContainmentOperation): boolean {
  return RULES[operation].undo !== undefined;
}

/** Operations a connector of `capability` can carry out. */
export function operationsOf(capability: Capability): ContainmentOperation[] {
  return CONTAINMENT_OPERATIONS.filter((operation) => RULES[operation].capability === capability);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The target in one canonical spelling (so an idempotent replay and the vendor query compare like
 * with like), or the reason it is not a valid target for the operation.
 */
export function normalizeTarget(
  operation: ContainmentOperation,
  target: string,
): { ok: true; target: string } | { ok: false; problem: string } {
  const trimmed = typeof target === 'string' ? target.trim() : '';
  try {
    switch (RULES[operation].target) {
      case 'network': {
        const parsed = parseNetworkTarget(trimmed);
        const refusal = operation === 'block_ip' ? blockRefusal(parsed) : undefined;
        if (refusal !== undefined) return { ok: false, problem: refusal };
        return { ok: true, target: parsed.isHost ? parsed.address : parsed.cidr };
      }
      case 'host':
        if (parseIpAddress(trimmed) !== null)
          return { ok: true, target: parseNetworkTarget(trimmed).address };
        return { ok: true, target: assertHostname(trimmed) };
      case 'user':
        if (trimmed.length === 0 || trimmed.length > 256 || CONTROL.test(trimmed)) {
          return { ok: false, problem: 'must be a user name or login of 1-256 printable characters' };
        }
        return { ok: true, target: trimmed };
      case 'message':
        if (trimmed.length === 0 || trimmed.length > 2_000) {
          return { ok: false, problem: 'must be the message text, 1-2000 characters' };
        }
        return { ok: true, target: trimmed };
    }
  } catch (error) {
    if (isConnectorError(error)) {
      const expected =
        RULES[operation].target === 'network' ? 'an IP address or CIDR' : 'a host name or IP address';
      return { ok: false, problem: `must be ${expected}` };
    }
    throw error;
  }
}
