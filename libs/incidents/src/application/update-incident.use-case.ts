import { HttpStatus, Injectable } from '@nestjs/common';

import { severityId, severityName, type SeverityId, type SeverityName } from '@rampart/alerts';
import type { AuditActor } from '@rampart/audit';
import { type SqlExecutor, TransactionRunner } from '@rampart/database';

import { allowedTransitions, canTransition, type IncidentStatus, isForward } from '../domain/incident-status';
import { type IncidentChange, IncidentWriter } from './incident-writer';

export interface UpdateIncidentCommand {
  incidentId: string;
  actor: string;
  status?: IncidentStatus;
  /** null unassigns. */
  assignee?: string | null;
  severity?: SeverityName;
}

export type IncidentErrorCode = 'not_found' | 'invalid_transition' | 'incident_final';

export class IncidentError extends Error {
  constructor(
    readonly code: IncidentErrorCode,
    message: string,
    readonly status: HttpStatus,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'IncidentError';
  }
}

/** What a playbook's `incident` step asks of its incident. */
export interface IncidentAdvance {
  incidentId: string;
  actor: string;
  status: IncidentStatus | null;
  severity: SeverityName | null;
  comment: string | null;
  /** Who the audit trail names (the engine says `systemActor('engine')`). */
  auditActor?: AuditActor;
}

/** An analyst changes an incident: status along the lifecycle, assignee, severity. */
@Injectable()
export class UpdateIncidentUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly writer: IncidentWriter,
  ) {}

  async execute(command: UpdateIncidentCommand): Promise<void> {
    await this.transactions.run(async (sql) => {
      const current = await this.writer.lockIncident(sql, command.incidentId);
      if (!current)
        throw new IncidentError(
          'not_found',
          `no incident ${command.incidentId}`,
          HttpStatus.NOT_FOUND,
          'param.id',
        );
      if (current.status === 'merged' || current.status === 'closed') {
        throw new IncidentError(
          'incident_final',
          `the incident is ${current.status} and can no longer change`,
          HttpStatus.CONFLICT,
        );
      }
      if (command.status !== undefined && command.status !== current.status) {
        if (!canTransition(current.status, command.status)) {
          const allowed = allowedTransitions(current.status);
          throw new IncidentError(
            'invalid_transition',
            `status cannot go from ${current.status} to ${command.status} (allowed: ${allowed.join(', ') || 'none'})`,
            HttpStatus.CONFLICT,
            'body.status',
          );
        }
      }
      const changes = changesOf(current, command);
      await this.writer.applyChanges(sql, command.incidentId, changes, command.actor);
    });
  }

  /**
   * A playbook run moves its incident on, inside the run's transaction: the status only forward
   * along the lifecycle (and only where it may go from where it stands), the severity only up, and
   * a comment. What would be a step back, or any change to a closed or merged incident, is left
   * out rather than refused: the analyst's word stands. Returns the changes made.
   */
  async advanceWithin(sql: SqlExecutor, update: IncidentAdvance): Promise<IncidentChange[]> {
    const current = await this.writer.lockIncident(sql, update.incidentId);
    if (!current || current.status === 'merged' || current.status === 'closed') return [];
    const forward =
      update.status !== null &&
      canTransition(current.status, update.status) &&
      isForward(current.status, update.status);
    const higher = update.severity !== null && severityId(update.severity) > current.severityId;
    const changes = changesOf(current, {
      status: forward ? (update.status ?? undefined) : undefined,
      severity: higher ? (update.severity ?? undefined) : undefined,
    });
    await this.writer.applyChanges(sql, update.incidentId, changes, update.actor, update.auditActor);
    if (update.comment !== null) {
      await this.writer.addComment(sql, update.incidentId, update.actor, update.comment, update.auditActor);
    }
    return changes;
  }
}

/** The changes `command` makes to `current` (none for values it already has). */
function changesOf(
  current: { status: IncidentStatus; assignee: string | null; severityId: number },
  command: Pick<UpdateIncidentCommand, 'status' | 'assignee' | 'severity'>,
): IncidentChange[] {
  const changes: IncidentChange[] = [];
  if (command.status !== undefined && command.status !== current.status) {
    changes.push({
      kind: 'status_changed',
      from: current.status,
      to: command.status,
      message: `Status changed from ${current.status} to ${command.status}`,
    });
  }
  if (command.assignee !== undefined && command.assignee !== current.assignee) {
    changes.push({
      kind: 'assignee_changed',
      from: current.assignee,
      to: command.assignee,
      message: command.assignee === null ? 'Unassigned' : `Assigned to ${command.assignee}`,
    });
  }
  if (command.severity !== undefined && severityId(command.severity) !== current.severityId) {
    changes.push({
      kind: 'severity_changed',
      from: current.severityId,
      to: severityId(command.severity),
      message: `Severity set from ${severityName(current.severityId as SeverityId)} to ${command.severity}`,
    });
  }
  return changes;
}
