import { Injectable, Logger } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { ConnectorErrorCode } from '../domain/connector-error';
import { ConnectorInstanceError, ConnectorInstanceErrorCode } from '../domain/connector-instance-error';
import { ActionFailureInfo, errorView, failureOf, VendorErrorView } from './action-failure';
import { ConnectorInstanceStore } from './connector-instance-store';
import { ConnectorResolver } from './connector-resolver';

export interface ConnectorCheck {
  connector: string;
  type: string;
  /** `not_checkable`: the vendor can only be checked by acting (notify connectors). */
  status: 'ok' | 'failed' | 'not_checkable';
  /** What a passing check proved. */
  checked?: string;
  /** Why it failed: the code and message an action on this connector would record. */
  error?: VendorErrorView;
  durationMs: number;
}

/**
 * An admin asks whether a connector instance works, before a playbook depends on it: read-only
 * vendor calls through the instance's own adapter (same base URL, credentials, retries and circuit
 * breaker as its actions). Nothing changes at the vendor; the check itself is audited.
 */
@Injectable()
export class CheckConnectorUseCase {
  private readonly logger = new Logger('CheckConnector');

  constructor(
    private readonly instances: ConnectorInstanceStore,
    private readonly resolver: ConnectorResolver,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  async execute(name: string): Promise<ConnectorCheck> {
    const instance = await this.instances.findByName(name);
    if (!instance) {
      throw new ConnectorInstanceError(
        ConnectorInstanceErrorCode.ConnectorNotFound,
        `no connector named "${name}"`,
        {
          field: 'name',
        },
      );
    }
    const started = performance.now();
    const base = { connector: instance.name, type: instance.type };
    const elapsed = () => Math.round(performance.now() - started);
    let result: ConnectorCheck;
    try {
      const checked = await this.resolver.connectorFor(instance).checkConnection();
      result =
        checked === null
          ? { ...base, status: 'not_checkable', durationMs: elapsed() }
          : { ...base, status: 'ok', checked, durationMs: elapsed() };
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) throw error;
      if (isUnreachable(failure)) {
        // Refused, closed, filtered or refused by the egress policy: one answer, so that a check
        // cannot map ports or addresses; the detail is for the operator's log.
        this.logger.warn(`check of connector "${instance.name}": ${failure.errorMessage}`);
        result = { ...base, status: 'failed', error: UNREACHABLE, durationMs: elapsed() };
      } else {
        result = { ...base, status: 'failed', error: errorView(failure), durationMs: elapsed() };
      }
    }
    // Nothing changed, but an admin made Rampart call a vendor with stored credentials: on record.
    await this.transactions.run((sql) =>
      this.audit.record(sql, {
        action: 'connector.checked',
        target: { type: 'connector', id: instance.id, name: instance.name },
        after: { status: result.status, ...(result.error ? { error: result.error.code } : {}) },
      }),
    );
    return result;
  }
}

const UNREACHABLE: VendorErrorView = {
  code: 'unreachable',
  message: "the connector's destination could not be reached",
  retryable: true,
};

/** A failure before any vendor answer: the network said no (or nothing), or the policy did. */
function isUnreachable(failure: ActionFailureInfo): boolean {
  const answered = typeof failure.details.vendorStatus === 'number';
  return (
    !answered &&
    (failure.errorCode === ConnectorErrorCode.Unavailable || failure.errorCode === ConnectorErrorCode.Timeout)
  );
}
