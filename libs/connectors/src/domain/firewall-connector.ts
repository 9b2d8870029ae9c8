import { ActionOutcome, OperationOptions } from './action-outcome';
import { Capability, ConnectorBase } from './capability';

export interface BlockOptions extends OperationOptions {
  /** Lift the block after this many seconds; omitted = until unblocked. */
  expiresInSeconds?: number;
}

export interface BlockState {
  blocked: boolean;
  /** The vendor-side object or tag the block lives in, e.g. `rampart_10.0.0.0_24`. */
  vendorRef?: string;
  /** When known from the vendor. */
  expiresAt?: Date;
}

/**
 * Network block of one IP or CIDR. Each operation is "ensure": it reads the vendor state first
 * and answers `already_in_state` without a second change.
 */
export abstract class FirewallConnector extends ConnectorBase {
  override readonly capability: Capability = 'firewall';

  /** Ensure traffic from/to `target` (IPv4/IPv6 address or CIDR) is blocked. */
  abstract ensureBlocked(target: string, options?: BlockOptions): Promise<ActionOutcome>;
  /** Undo of {@link ensureBlocked}. */
  abstract ensureUnblocked(target: string, options?: OperationOptions): Promise<ActionOutcome>;
  /** Ask the vendor whether `target` is blocked right now (for reconciliation). */
  abstract isBlocked(target: string): Promise<BlockState>;
}
