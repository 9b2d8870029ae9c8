import { Injectable } from '@nestjs/common';

import { isValidIdempotencyKey } from '../domain/action-outcome';
import { ActionFailure, ContainmentAction } from '../domain/containment-action';
import { ContainmentError, ContainmentErrorCode } from '../domain/containment-error';
import {
  capabilityOf,
  ContainmentOperation,
  isContainmentOperation,
  isReversible,
  MAX_EXPIRY_SECONDS,
  normalizeTarget,
  operationsOf,
} from '../domain/containment-operation';
import { failureOf } from './action-failure';
import { ActionReporter } from './action-reporter';
import { ConnectorInstanceStore, StoredConnectorInstance } from './connector-instance-store';
import { ConnectorResolver } from './connector-resolver';
import { ActionResult, ContainmentActionStore } from './containment-action-store';
import { performOperation, unsupportedReason } from './operation-dispatch';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ExecuteActionCommand {
  /** Connector instance name. */
  connector: string;
  operation: ContainmentOperation;
  /** IP/CIDR (firewall), host name or IP (EDR), user (VPN), message text (notify). */
  target: string;
  /** Reversible operations only: the sweeper undoes the action this many seconds from now. */
  expiresInSeconds?: number;
  incidentId?: string;
  /** Same key = same action: never sent twice (e.g. `<run>:<step>`). */
  idempotencyKey: string;
  requestedBy: string;
  reason?: string;
}

export interface ExecuteActionResult {
  action: ContainmentAction;
  /** false when the key was already known: the stored record, no vendor call. */
  created: boolean;
}

/**
 * Carries out one containment action exactly once per idempotency key. The `pending` record is
 * committed before the vendor is called, so a crash leaves a trace the reconciliation resolves by
 * asking the vendor (never by calling again); the unique key makes a replay return the record.
 * A vendor failure is not thrown: it is the record's `failed` state and error code.
 */
@Injectable()
export class ExecuteActionUseCase {
  constructor(
    private readonly instances: ConnectorInstanceStore,
    private readonly actions: ContainmentActionStore,
    private readonly resolver: ConnectorResolver,
    private readonly reporter: ActionReporter,
  ) {}

  async execute(command: ExecuteActionCommand): Promise<ExecuteActionResult> {
    const { operation, target } = validate(command);
    const replay = await this.actions.findByIdempotencyKey(command.idempotencyKey);
    if (replay) return { action: sameRequest(replay, command.connector, operation, target), created: false };

    const instance = await this.instances.findByName(command.connector);
    if (!instance) {
      throw new ContainmentError(
        ContainmentErrorCode.ConnectorNotFound,
        `no connector named "${command.connector}"`,
        {
          field: 'connector',
        },
      );
    }
    if (instance.capability !== capabilityOf(operation)) {
      throw new ContainmentError(
        ContainmentErrorCode.UnsupportedOperation,
        `connector "${instance.name}" is a ${instance.capability} connector: it does ${operationsOf(instance.capability).join(', ')}`,
        { field: 'operation' },
      );
    }
    this.refuseUnsupported(instance, operation);
    const pending = await this.actions.insertPending({
      connectorInstanceId: instance.id,
      connectorName: instance.name,
      capability: instance.capability,
      operation,
      target,
      idempotencyKey: command.idempotencyKey,
      incidentId: command.incidentId ?? null,
      requestedBy: command.requestedBy,
      reason: command.reason ?? null,
      expiresInSeconds: command.expiresInSeconds ?? null,
    });
    if (!pending) {
      // Lost a race with the same key: the winner's record is the answer.
      const winner = await this.actions.findByIdempotencyKey(command.idempotencyKey);
      if (!winner) throw new Error(`action with idempotency key ${command.idempotencyKey} vanished`);
      return { action: sameRequest(winner, command.connector, operation, target), created: false };
    }
    const result = await this.call(instance, pending, command);
    const completed =
      (await this.actions.complete(pending.id, result)) ??
      (await this.actions.findById(pending.id)) ??
      pending;
    this.reporter.written(completed);
    return { action: completed, created: true };
  }

  /** Refuses, before anything is recorded, what this instance is not set up to do. */
  private refuseUnsupported(instance: StoredConnectorInstance, operation: ContainmentOperation): void {
    let reason: string | undefined;
    try {
      reason = unsupportedReason(this.resolver.connectorFor(instance), operation);
    } catch {
      return; // An instance that cannot be built is recorded as a failed action by call().
    }
    if (reason !== undefined) {
      throw new ContainmentError(ContainmentErrorCode.UnsupportedOperation, reason, { field: 'operation' });
    }
  }

  private async call(
    instance: StoredConnectorInstance,
    pending: ContainmentAction,
    command: ExecuteActionCommand,
  ): Promise<ActionResult> {
    try {
      const connector = this.resolver.connectorFor(instance);
      const { outcome, details } = await performOperation(connector, {
        operation: pending.operation,
        target: pending.target,
        expiresInSeconds: command.expiresInSeconds ?? null,
        idempotencyKey: pending.idempotencyKey,
        reason: pending.reason,
        context: { incidentId: pending.incidentId, requestedBy: pending.requestedBy },
      });
      return { state: 'succeeded', outcome: outcome.status, vendorRef: outcome.vendorRef ?? null, details };
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) {
        await this.actions.complete(pending.id, {
          state: 'failed',
          errorCode: ActionFailure.Internal,
          errorMessage: 'unexpected error; see the log',
          details: {},
        });
        throw error;
      }
      const { errorCode, errorMessage, details } = failure;
      return failure.mayHaveLanded
        ? { state: 'pending', errorCode, errorMessage, details }
        : { state: 'failed', errorCode, errorMessage, details };
    }
  }
}

function validate(command: ExecuteActionCommand): { operation: ContainmentOperation; target: string } {
  if (!isContainmentOperation(command.operation)) {
    throw new ContainmentError(
      ContainmentErrorCode.UnsupportedOperation,
      `unknown operation "${String(command.operation)}"`,
      {
        field: 'operation',
      },
    );
  }
  const operation = command.operation;
  if (command.incidentId !== undefined && !UUID.test(command.incidentId)) {
    throw new ContainmentError(ContainmentErrorCode.IncidentNotFound, `no incident ${command.incidentId}`, {
      field: 'incidentId',
    });
  }
  const target = normalizeTarget(operation, command.target);
  if (!target.ok) {
    throw new ContainmentError(
      ContainmentErrorCode.InvalidTarget,
      `target ${target.problem} for ${operation}`,
      {
        field: 'target',
      },
    );
  }
  if (command.expiresInSeconds !== undefined) {
    if (!isReversible(operation)) {
      throw new ContainmentError(
        ContainmentErrorCode.ExpiryNotSupported,
        `${operation} cannot be undone, so it cannot expire`,
        { field: 'expiresInSeconds' },
      );
    }
    if (
      !Number.isInteger(command.expiresInSeconds) ||
      command.expiresInSeconds < 1 ||
      command.expiresInSeconds > MAX_EXPIRY_SECONDS
    ) {
      throw new ContainmentError(
        ContainmentErrorCode.InvalidExpiry,
        `expiresInSeconds must be a whole number from 1 to ${MAX_EXPIRY_SECONDS}`,
        { field: 'expiresInSeconds' },
      );
    }
  }
  if (!isValidIdempotencyKey(command.idempotencyKey)) {
    throw new ContainmentError(
      ContainmentErrorCode.InvalidIdempotencyKey,
      'idempotencyKey must be 1-128 characters of A-Z a-z 0-9 . _ : @ -',
      { field: 'idempotencyKey' },
    );
  }
  return { operation, target: target.target };
}

/** A key names one action: reusing it for a different one is a caller bug, not a replay. */
function sameRequest(
  stored: ContainmentAction,
  connector: string,
  operation: ContainmentOperation,
  target: string,
): ContainmentAction {
  if (stored.connectorName !== connector || stored.operation !== operation || stored.target !== target) {
    throw new ContainmentError(
      ContainmentErrorCode.IdempotencyKeyReused,
      `idempotency key already used for ${stored.operation} of ${stored.target} on "${stored.connectorName}"`,
      { field: 'idempotencyKey' },
    );
  }
  return stored;
}
