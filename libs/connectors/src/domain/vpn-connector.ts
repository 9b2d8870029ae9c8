import { ActionOutcome, OperationOptions } from './action-outcome';
import { Capability, ConnectorBase } from './capability';

export interface VpnSession {
  user: string;
  /** Vendor session handle (FortiGate session index). */
  id: string;
  remoteAddress?: string;
  assignedAddress?: string;
  startedAt?: Date;
}

export interface SessionList {
  /** False when the vendor has no API to enumerate a user's sessions (Okta). */
  supported: boolean;
  sessions: VpnSession[];
}

/** Remote-access containment: end a user's sessions and keep them in a quarantine group. */
export abstract class VpnConnector extends ConnectorBase {
  override readonly capability: Capability = 'vpn';

  abstract listSessions(user: string): Promise<SessionList>;
  /** End every active session of `user`; `already_in_state` when the vendor shows none. */
  abstract disconnectSessions(user: string, options?: OperationOptions): Promise<ActionOutcome>;
  /** Ensure `user` is a member of the configured quarantine group. */
  abstract ensureQuarantined(user: string, options?: OperationOptions): Promise<ActionOutcome>;
  /** Undo of {@link ensureQuarantined}. */
  abstract ensureReleased(user: string, options?: OperationOptions): Promise<ActionOutcome>;
  abstract isQuarantined(user: string): Promise<boolean>;
}
