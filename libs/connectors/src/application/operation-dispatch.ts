import { isIP } from 'node:net';

import { ActionOutcome, OperationOptions } from '../domain/action-outcome';
import { ConnectorError, ConnectorErrorCode } from '../domain/connector-error';
import { ContainmentOperation, undoOperationOf } from '../domain/containment-operation';
import { EdrConnector, HostQuery } from '../domain/edr-connector';
import { FirewallConnector } from '../domain/firewall-connector';
import { NotifyConnector } from '../domain/notify-connector';
import { VpnConnector } from '../domain/vpn-connector';
import { AnyConnector } from './connector-registry';

/** The recorded action an undo or a vendor-state read is about. */
export interface ActionSubject {
  operation: ContainmentOperation;
  target: string;
  vendorRef: string | null;
  /** `deviceId` (EDR) when an earlier call resolved it. */
  details: Record<string, unknown>;
}

/** One containment operation to carry out on a connector. */
export interface OperationCall {
  operation: ContainmentOperation;
  target: string;
  expiresInSeconds: number | null;
  idempotencyKey: string;
  reason: string | null;
  /** Known from an earlier call (EDR device id), so the host need not be looked up again. */
  deviceId?: string;
  /** For notifications: what the message is about. */
  context?: { incidentId: string | null; requestedBy: string };
}

export interface OperationResult {
  outcome: ActionOutcome;
  /** What to keep on the action record besides the outcome (e.g. the resolved device id). */
  details: Record<string, unknown>;
}

/** Calls the vendor for one operation. Fails with ConnectorError. */
export async function performOperation(
  connector: AnyConnector,
  call: OperationCall,
): Promise<OperationResult> {
  const options: OperationOptions = { idempotencyKey: call.idempotencyKey };
  if (call.reason) options.comment = call.reason;
  switch (call.operation) {
    case 'block_ip': {
      const blockOptions =
        call.expiresInSeconds === null ? options : { ...options, expiresInSeconds: call.expiresInSeconds };
      return withDetails(await asKind(connector, FirewallConnector).ensureBlocked(call.target, blockOptions));
    }
    case 'unblock_ip':
      return withDetails(await asKind(connector, FirewallConnector).ensureUnblocked(call.target, options));
    case 'isolate_host':
    case 'release_host':
    case 'collect_forensics': {
      const edr = asKind(connector, EdrConnector);
      const deviceId = call.deviceId ?? (await edr.resolveHost(hostQuery(call.target))).deviceId;
      const outcome =
        call.operation === 'isolate_host'
          ? await edr.ensureContained(deviceId, options)
          : call.operation === 'release_host'
            ? await edr.ensureReleased(deviceId, options)
            : await edr.collectForensics(deviceId, options);
      return withDetails(outcome, { deviceId });
    }
    case 'disconnect_sessions':
      return withDetails(await asKind(connector, VpnConnector).disconnectSessions(call.target, options));
    case 'quarantine_user':
      return withDetails(await asKind(connector, VpnConnector).ensureQuarantined(call.target, options));
    case 'release_user':
      return withDetails(await asKind(connector, VpnConnector).ensureReleased(call.target, options));
    case 'notify': {
      const data: Record<string, unknown> = { title: call.target, text: call.target };
      if (call.reason) data.reason = call.reason;
      if (call.context?.incidentId) data.incidentId = call.context.incidentId;
      if (call.context) data.requestedBy = call.context.requestedBy;
      return withDetails(await asKind(connector, NotifyConnector).send({ data }, options));
    }
  }
}

/** Calls the vendor to undo `action` (which must be reversible). */
export async function performUndo(
  connector: AnyConnector,
  action: ActionSubject,
  idempotencyKey: string,
  reason: string | null,
): Promise<OperationResult> {
  const operation = undoOperationOf(action.operation);
  if (operation === undefined) {
    throw new ConnectorError(ConnectorErrorCode.InvalidRequest, `${action.operation} cannot be undone`, {
      retryable: false,
    });
  }
  const deviceId = typeof action.details.deviceId === 'string' ? action.details.deviceId : undefined;
  return performOperation(connector, {
    operation,
    target: action.target,
    expiresInSeconds: null,
    idempotencyKey,
    reason,
    ...(deviceId !== undefined ? { deviceId } : {}),
  });
}

/**
 * What the vendor shows for an action's intended change:
 * - `applied` / `not_applied`: the state is (not) what the action asked for (a forensic package
 *   collected / a collection that failed);
 * - `unknown`: the vendor is between states (EDR pending, collection running), ask again later;
 * - `indeterminate`: the vendor keeps no state that would tell (notifications, Okta sessions, a
 *   collection whose job was never recorded).
 */
export type VendorState = 'applied' | 'not_applied' | 'unknown' | 'indeterminate';

export interface VendorObservation {
  state: VendorState;
  /** The vendor's own word for it (`containment_pending`, `InProgress`...). */
  vendorStatus?: string;
  /** What the vendor said went wrong (a failed collection's stderr...). */
  detail?: string;
}

export async function readVendorState(
  connector: AnyConnector,
  action: ActionSubject,
): Promise<VendorObservation> {
  const applied = (yes: boolean): VendorObservation => ({ state: yes ? 'applied' : 'not_applied' });
  switch (action.operation) {
    case 'block_ip':
      return applied((await asKind(connector, FirewallConnector).isBlocked(action.target)).blocked);
    case 'unblock_ip':
      return applied(!(await asKind(connector, FirewallConnector).isBlocked(action.target)).blocked);
    case 'isolate_host':
    case 'release_host': {
      const edr = asKind(connector, EdrConnector);
      const known = typeof action.details.deviceId === 'string' ? action.details.deviceId : undefined;
      const deviceId = known ?? (await edr.resolveHost(hostQuery(action.target))).deviceId;
      const { status, vendorStatus } = await edr.getContainmentState(deviceId);
      const word = vendorStatus !== undefined ? { vendorStatus } : {};
      if (status === 'unknown') return { state: 'unknown', ...word };
      const contained = status === 'contained' || status === 'containing';
      return { ...applied(action.operation === 'isolate_host' ? contained : !contained), ...word };
    }
    case 'quarantine_user':
      return applied(await asKind(connector, VpnConnector).isQuarantined(action.target));
    case 'release_user':
      return applied(!(await asKind(connector, VpnConnector).isQuarantined(action.target)));
    case 'disconnect_sessions': {
      const sessions = await asKind(connector, VpnConnector).listSessions(action.target);
      return sessions.supported ? applied(sessions.sessions.length === 0) : { state: 'indeterminate' };
    }
    case 'collect_forensics': {
      // A crash-left collection has no job to ask about; a second one must not be started blindly.
      if (action.vendorRef === null) return { state: 'indeterminate' };
      const job = await asKind(connector, EdrConnector).forensicsJob(action.vendorRef);
      const state: VendorState =
        job.state === 'completed' ? 'applied' : job.state === 'failed' ? 'not_applied' : 'unknown';
      return {
        state,
        ...(job.vendorStatus !== undefined ? { vendorStatus: job.vendorStatus } : {}),
        ...(job.detail !== undefined ? { detail: job.detail } : {}),
      };
    }
    // A message leaves no state to read.
    case 'notify':
      return { state: 'indeterminate' };
  }
}

/**
 * Why `connector` cannot carry out `operation` although its capability covers it (an EDR
 * instance configured without forensics), or undefined when it can.
 */
export function unsupportedReason(
  connector: AnyConnector,
  operation: ContainmentOperation,
): string | undefined {
  if (
    operation === 'collect_forensics' &&
    connector instanceof EdrConnector &&
    !connector.supportsForensics
  ) {
    return (
      `connector "${connector.name}" (${connector.type}) is not set up to collect forensic packages ` +
      '(see docs/connectors.md; crowdstrike needs the option forensicsScript)'
    );
  }
  return undefined;
}

function hostQuery(target: string): HostQuery {
  return isIP(target) ? { ip: target } : { hostname: target };
}

function withDetails(outcome: ActionOutcome, extra: Record<string, unknown> = {}): OperationResult {
  return { outcome, details: { ...(outcome.details ?? {}), ...extra } };
}

function asKind<T>(connector: AnyConnector, kind: abstract new (...args: never[]) => T): T {
  if (!(connector instanceof kind)) {
    throw new ConnectorError(
      ConnectorErrorCode.InvalidRequest,
      `connector "${connector.name}" is a ${connector.capability} connector and cannot do this`,
      { retryable: false },
    );
  }
  return connector;
}
