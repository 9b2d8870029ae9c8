import { Injectable } from '@nestjs/common';

import { Capability } from '../domain/capability';
import { ConnectorType } from '../domain/connector-instance';
import { ContainmentOperation } from '../domain/containment-operation';
import { ActionFailureInfo, failureOf } from './action-failure';
import { ConnectorInstanceStore, StoredConnectorInstance } from './connector-instance-store';
import { ConnectorResolver } from './connector-resolver';
import {
  ActionSubject,
  OperationCall,
  performOperation,
  performUndo,
  readVendorState,
  unsupportedReason,
  VendorObservation,
} from './operation-dispatch';

/** A connector instance as the containment lifecycle sees it: enough to route and record an action. */
export interface ConnectorRef {
  id: string;
  name: string;
  type: ConnectorType;
  capability: Capability;
}

/** What one vendor call did: the change (or that nothing had to change), or why it failed. */
export type VendorCallResult =
  | {
      ok: true;
      outcome: 'changed' | 'already_in_state';
      vendorRef: string | null;
      details: Record<string, unknown>;
    }
  | { ok: false; failure: ActionFailureInfo };

export type VendorStateResult =
  { ok: true; observation: VendorObservation } | { ok: false; failure: ActionFailureInfo };

/**
 * The port through which containment reaches vendors: find an instance, carry out, undo or observe
 * one operation through its adapter. Vendor failures are results, never exceptions; anything
 * thrown is a bug. Nothing here records anything: the containment lifecycle does.
 */
export abstract class ConnectorOperations {
  abstract findByName(name: string): Promise<ConnectorRef | null>;
  abstract findById(id: string): Promise<ConnectorRef | null>;
  /** Every instance, for playbooks that act "at every firewall". */
  abstract list(): Promise<ConnectorRef[]>;
  /**
   * Why `ref` cannot carry out `operation` although its capability covers it (an EDR without
   * forensics), or undefined. An instance that cannot even be built answers undefined: the call
   * itself then fails and is recorded.
   */
  abstract refusal(ref: ConnectorRef, operation: ContainmentOperation): Promise<string | undefined>;
  abstract perform(ref: ConnectorRef, call: OperationCall): Promise<VendorCallResult>;
  /** Undoes `subject` (reversible) under `idempotencyKey`. */
  abstract undo(
    ref: ConnectorRef,
    subject: ActionSubject,
    idempotencyKey: string,
    reason: string | null,
  ): Promise<VendorCallResult>;
  /** What the vendor shows now for `subject`'s intended change. */
  abstract observe(ref: ConnectorRef, subject: ActionSubject): Promise<VendorStateResult>;
}

@Injectable()
export class AdapterConnectorOperations extends ConnectorOperations {
  constructor(
    private readonly instances: ConnectorInstanceStore,
    private readonly resolver: ConnectorResolver,
  ) {
    super();
  }

  async findByName(name: string): Promise<ConnectorRef | null> {
    return refOf(await this.instances.findByName(name));
  }

  async findById(id: string): Promise<ConnectorRef | null> {
    return refOf(await this.instances.findById(id));
  }

  async list(): Promise<ConnectorRef[]> {
    return (await this.instances.list()).map((stored) => refOf(stored) as ConnectorRef);
  }

  async refusal(ref: ConnectorRef, operation: ContainmentOperation): Promise<string | undefined> {
    const stored = await this.instances.findById(ref.id);
    if (!stored) return undefined;
    try {
      return unsupportedReason(this.resolver.connectorFor(stored), operation);
    } catch {
      return undefined;
    }
  }

  perform(ref: ConnectorRef, call: OperationCall): Promise<VendorCallResult> {
    return this.calling(ref, async (stored) => {
      const { outcome, details } = await performOperation(this.resolver.connectorFor(stored), call);
      return { ok: true, outcome: outcome.status, vendorRef: outcome.vendorRef ?? null, details };
    });
  }

  undo(
    ref: ConnectorRef,
    subject: ActionSubject,
    idempotencyKey: string,
    reason: string | null,
  ): Promise<VendorCallResult> {
    return this.calling(ref, async (stored) => {
      const connector = this.resolver.connectorFor(stored);
      const { outcome, details } = await performUndo(connector, subject, idempotencyKey, reason);
      return { ok: true, outcome: outcome.status, vendorRef: outcome.vendorRef ?? null, details };
    });
  }

  observe(ref: ConnectorRef, subject: ActionSubject): Promise<VendorStateResult> {
    return this.calling(ref, async (stored) => ({
      ok: true,
      observation: await readVendorState(this.resolver.connectorFor(stored), subject),
    }));
  }

  /** Runs a vendor call on the stored instance; a ConnectorError becomes a failure result. */
  private async calling<T>(
    ref: ConnectorRef,
    work: (stored: StoredConnectorInstance) => Promise<T>,
  ): Promise<T | { ok: false; failure: ActionFailureInfo }> {
    const stored = await this.instances.findById(ref.id);
    if (!stored) return { ok: false, failure: connectorGone(ref.name) };
    try {
      return await work(stored);
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) throw error;
      return { ok: false, failure };
    }
  }
}

/** The failure of a call whose connector instance was deleted meanwhile. */
export function connectorGone(name: string): ActionFailureInfo {
  return {
    errorCode: 'connector_not_found',
    errorMessage: `connector "${name}" no longer exists`,
    details: {},
    retryable: false,
    mayHaveLanded: false,
  };
}

function refOf(stored: StoredConnectorInstance | null): ConnectorRef | null {
  return stored
    ? { id: stored.id, name: stored.name, type: stored.type, capability: stored.capability }
    : null;
}
