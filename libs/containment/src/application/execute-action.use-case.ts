import { Injectable } from '@nestjs/common';

import type { AuditActor } from '@rampart/audit';
import {
  capabilityOf,
  ConnectorOperations,
  ConnectorRef,
  type ContainmentOperation,
  isContainmentOperation,
  isReversible,
  isValidIdempotencyKey,
  MAX_EXPIRY_SECONDS,
  normalizeTarget,
  operationsOf,
} from '@rampart/connectors';

import { ActionFailure, ContainmentAction } from '../domain/containment-action';
import { ContainmentError, ContainmentErrorCode } from '../domain/containment-error';
import { isGuarded } from '../domain/guardrails';
import { type ActionOrigin, reservedPrefixOf } from '../domain/idempotency-key';
import { ActionLeases, leaseHolder } from './action-lease';
import { ActionReporter } from './action-reporter';
import { ActionResult, ContainmentActionStore, NewPendingAction } from './containment-action-store';
import { Guardrails } from './guardrails';

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
  /** Same key = same action: never sent twice (e.g. `run:<run>:<step>`). */
  idempotencyKey: string;
  requestedBy: string;
  reason?: string;
  /** `api` (default): reserved key namespaces (`undo:`, `run:`) are refused. */
  origin?: ActionOrigin;
  /** Labels of what the action is about (the incident's, the host's): protected tags match them. */
  tags?: string[];
  /**
   * Who approved going beyond a blast-radius limit (a playbook approval): the limits are not
   * counted again. Protected assets are never overridden.
   */
  approvedBy?: string;
  /** Who the audit trail names: the request's caller when absent (the engine says `systemActor('engine')`). */
  actor?: AuditActor;
}

export interface ExecuteActionResult {
  action: ContainmentAction;
  /** false when the key was already known: the stored record, no vendor call. */
  created: boolean;
}

/**
 * Carries out one containment action exactly once per idempotency key, after its guardrails: a
 * protected asset is refused (recorded, no vendor call), a request for a change already in force
 * or in flight joins that action, a blast-radius limit reached asks for an approval (the
 * `blast_radius_exceeded` error; `approvedBy` carries one). The `pending` record is
 * committed, leased to this call, before the vendor is called, so a crash leaves a trace the
 * reconciliation resolves by asking the vendor (never by calling again) once the lease runs out;
 * the unique key makes a replay return the record. No transaction is open during the vendor call.
 * A vendor failure is not thrown: it is the record's `failed` state and error code.
 */
@Injectable()
export class ExecuteActionUseCase {
  constructor(
    private readonly connectors: ConnectorOperations,
    private readonly actions: ContainmentActionStore,
    private readonly reporter: ActionReporter,
    private readonly guardrails: Guardrails,
    private readonly leases: ActionLeases,
  ) {}

  async execute(command: ExecuteActionCommand): Promise<ExecuteActionResult> {
    const { operation, target } = validate(command);
    const replay = await this.actions.findByIdempotencyKey(command.idempotencyKey);
    if (replay) return { action: sameRequest(replay, command, operation, target), created: false };

    const connector = await this.connectors.findByName(command.connector);
    if (!connector) {
      throw new ContainmentError(
        ContainmentErrorCode.ConnectorNotFound,
        `no connector named "${command.connector}"`,
        { field: 'connector' },
      );
    }
    if (connector.capability !== capabilityOf(operation)) {
      throw new ContainmentError(
        ContainmentErrorCode.UnsupportedOperation,
        `connector "${connector.name}" is a ${connector.capability} connector: it does ${operationsOf(connector.capability).join(', ')}`,
        { field: 'operation' },
      );
    }
    const refusal = await this.connectors.refusal(connector, operation);
    if (refusal !== undefined) {
      throw new ContainmentError(ContainmentErrorCode.UnsupportedOperation, refusal, { field: 'operation' });
    }
    const request: NewPendingAction = {
      connectorInstanceId: connector.id,
      connectorName: connector.name,
      capability: connector.capability,
      operation,
      target,
      idempotencyKey: command.idempotencyKey,
      incidentId: command.incidentId ?? null,
      requestedBy: command.requestedBy,
      reason: command.reason ?? null,
      expiresInSeconds: command.expiresInSeconds ?? null,
    };
    const asset = await this.guardrails.protecting({ operation, target, tags: command.tags ?? [] });
    if (asset) {
      const refused = await this.actions.insertRefused(
        request,
        {
          errorCode: ActionFailure.ProtectedAsset,
          errorMessage: `${target} is a protected asset (${asset.kind} ${asset.value}${asset.reason ? `: ${asset.reason}` : ''}); ${operation} refused`,
          details: { rule: { id: asset.id, kind: asset.kind, value: asset.value, source: asset.source } },
        },
        command.actor,
      );
      this.reporter.written(refused);
      return {
        action: sameRequest(refused, command, operation, target),
        created: refused.state === 'refused',
      };
    }
    const holder = leaseHolder('execute');
    const admission = await this.actions.admit(request, {
      holder,
      leaseMs: this.leases.callMs,
      joinable: isGuarded(operation),
      limits: command.approvedBy ? [] : this.guardrails.limitsFor(operation),
      ...(command.actor ? { actor: command.actor } : {}),
    });
    if (admission.kind === 'replay') {
      return { action: sameRequest(admission.action, command, operation, target), created: false };
    }
    if (admission.kind === 'joined') {
      this.reporter.written(admission.action);
      return { action: admission.action, created: true };
    }
    if (admission.kind === 'limit_reached') {
      const { limit, count } = admission;
      const where =
        limit.scope === 'incident'
          ? 'in this incident'
          : `in the last ${Math.round((limit.windowMs ?? 0) / 60_000)} min`;
      throw new ContainmentError(
        ContainmentErrorCode.BlastRadiusExceeded,
        `${count} ${operation} actions ${where} reach the limit of ${limit.max}: a person must approve this one`,
        { field: 'operation', details: { limit, count } },
      );
    }
    const pending = admission.action;
    const result = await this.call(connector, pending, holder, command);
    const completed =
      (await this.actions.complete(pending.id, holder, result, this.leases.callMs, {
        by: 'execution',
        actor: command.actor,
      })) ??
      (await this.actions.findById(pending.id)) ??
      pending;
    this.reporter.written(completed);
    return { action: completed, created: true };
  }

  private async call(
    connector: ConnectorRef,
    pending: ContainmentAction,
    holder: string,
    command: ExecuteActionCommand,
  ): Promise<ActionResult> {
    let answer;
    try {
      answer = await this.connectors.perform(connector, {
        operation: pending.operation,
        target: pending.target,
        expiresInSeconds: command.expiresInSeconds ?? null,
        idempotencyKey: pending.idempotencyKey,
        reason: pending.reason,
        context: { incidentId: pending.incidentId, requestedBy: pending.requestedBy },
      });
    } catch (error) {
      // A bug, not a vendor answer: recorded as such, then thrown for the error filter to log.
      await this.actions.complete(
        pending.id,
        holder,
        {
          state: 'failed',
          errorCode: ActionFailure.Internal,
          errorMessage: 'unexpected error; see the log',
          details: {},
        },
        this.leases.callMs,
        { by: 'execution', actor: command.actor },
      );
      throw error;
    }
    if (answer.ok) {
      return {
        state: 'succeeded',
        outcome: answer.outcome,
        vendorRef: answer.vendorRef,
        details: answer.details,
      };
    }
    const { errorCode, errorMessage, details, mayHaveLanded } = answer.failure;
    return mayHaveLanded
      ? { state: 'pending', errorCode, errorMessage, details }
      : { state: 'failed', errorCode, errorMessage, details };
  }
}

function validate(command: ExecuteActionCommand): { operation: ContainmentOperation; target: string } {
  if (!isContainmentOperation(command.operation)) {
    throw new ContainmentError(
      ContainmentErrorCode.UnsupportedOperation,
      `unknown operation "${String(command.operation)}"`,
      { field: 'operation' },
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
  const reserved = reservedPrefixOf(command.idempotencyKey);
  if (reserved !== undefined && (command.origin ?? 'api') === 'api') {
    throw new ContainmentError(
      ContainmentErrorCode.InvalidIdempotencyKey,
      `idempotency keys starting with "${reserved}" are reserved for Rampart's own undo and playbook records`,
      { field: 'idempotencyKey' },
    );
  }
  return { operation, target: target.target };
}

/**
 * A key names one action: reusing it for a different request (another target, connector,
 * operation, expiry, reason or incident) is a caller bug, not a replay.
 */
function sameRequest(
  stored: ContainmentAction,
  command: ExecuteActionCommand,
  operation: ContainmentOperation,
  target: string,
): ContainmentAction {
  const differences: string[] = [];
  if (stored.connectorName !== command.connector) differences.push('connector');
  if (stored.operation !== operation) differences.push('operation');
  if (stored.target !== target) differences.push('target');
  if (stored.expiresInSeconds !== (command.expiresInSeconds ?? null)) differences.push('expiresInSeconds');
  if (stored.reason !== (command.reason ?? null)) differences.push('reason');
  if (stored.incidentId !== (command.incidentId?.toLowerCase() ?? null)) differences.push('incidentId');
  if (differences.length > 0) {
    throw new ContainmentError(
      ContainmentErrorCode.IdempotencyKeyReused,
      `idempotency key already used for ${stored.operation} of ${stored.target} on "${stored.connectorName}" ` +
        `with another ${differences.join(', ')}`,
      { field: 'idempotencyKey' },
    );
  }
  return stored;
}
