import { HttpStatus, Injectable } from '@nestjs/common';

import { severityId, severityName, type SeverityId, type SeverityName } from '@rampart/alerts';
import { TransactionRunner } from '@rampart/database';

import { allowedTransitions, canTransition, type IncidentStatus } from '../domain/incident-status';
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
      const changes: IncidentChange[] = [];
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
      await this.writer.applyChanges(sql, command.incidentId, changes, command.actor);
    });
  }
}
