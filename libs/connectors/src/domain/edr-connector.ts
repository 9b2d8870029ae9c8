import { ActionOutcome, OperationOptions } from './action-outcome';
import { Capability, ConnectorBase } from './capability';

export interface HostQuery {
  hostname?: string;
  ip?: string;
}

export interface EdrHost {
  /** The vendor's device id (CrowdStrike aid, MDE machine id). */
  deviceId: string;
  hostname?: string;
  ip?: string;
  platform?: string;
  lastSeen?: Date;
}

/** `containing` / `releasing`: the vendor accepted the request and the sensor has not confirmed. */
export type ContainmentStatus = 'normal' | 'containing' | 'contained' | 'releasing' | 'unknown';

export interface ContainmentState {
  deviceId: string;
  status: ContainmentStatus;
  /** The vendor's own word for it (`containment_pending`, `Isolate/InProgress`...). */
  vendorStatus?: string;
}

/** `running` until the vendor has the package (or gave up: `failed`). */
export type ForensicsJobState = 'running' | 'completed' | 'failed' | 'unknown';

/** A forensic collection as the vendor reports it; never a download link (those are bearer URLs). */
export interface ForensicsJob {
  jobRef: string;
  state: ForensicsJobState;
  /** The vendor's own word (`InProgress`, `complete`...). */
  vendorStatus?: string;
  /** What went wrong, in the vendor's words (script stderr...), when it failed. */
  detail?: string;
}

/** Host isolation on an EDR. */
export abstract class EdrConnector extends ConnectorBase {
  override readonly capability: Capability = 'edr';
  /** Whether {@link collectForensics} is backed by a vendor call. */
  abstract readonly supportsForensics: boolean;

  /** Resolve a host name or IP to the vendor's device id; `not_found` when none matches. */
  abstract resolveHost(query: HostQuery): Promise<EdrHost>;
  /** Ensure the device is network-contained (a pending containment counts as done). */
  abstract ensureContained(deviceId: string, options?: OperationOptions): Promise<ActionOutcome>;
  /** Undo of {@link ensureContained}. */
  abstract ensureReleased(deviceId: string, options?: OperationOptions): Promise<ActionOutcome>;
  abstract getContainmentState(deviceId: string): Promise<ContainmentState>;
  /** Start collecting a forensic package; `vendorRef` identifies the collection job. */
  abstract collectForensics(deviceId: string, options?: OperationOptions): Promise<ActionOutcome>;
  /** Where the collection `jobRef` (a {@link collectForensics} `vendorRef`) stands. */
  abstract forensicsJob(jobRef: string): Promise<ForensicsJob>;
}
