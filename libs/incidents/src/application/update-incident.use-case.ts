import { HttpStatus, Injectable } from '@nestjs/common';

import { severityId, severityName, type SeverityId, type SeverityName } from '@rampart/alerts';
import { TransactionRunner } from '@rampart/database';

import {
  allowedTransitions,
  canTransition,
  type IncidentStatus,
  STATUS_TIMESTAMP,
} from '../domain/incident-status';

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
  constructor(private readonly transactions: TransactionRunner) {}

  async execute(command: UpdateIncidentCommand): Promise<void> {
    await this.transactions.run(async (sql) => {
      const [current] = await sql.query<{
        status: IncidentStatus;
        assignee: string | null;
        severityId: SeverityId;
      }>(`SELECT status, assignee, severity_id AS "severityId" FROM incident WHERE id = $1 FOR UPDATE`, [
        command.incidentId,
      ]);
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
      const sets: string[] = [];
      const params: unknown[] = [command.incidentId];
      const timeline: { kind: string; message: string; data: Record<string, unknown> }[] = [];
      const bind = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };

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
        sets.push(`status = ${bind(command.status)}`);
        const column = STATUS_TIMESTAMP[command.status];
        if (column) sets.push(`${column} = COALESCE(${column}, now())`);
        timeline.push({
          kind: 'status_changed',
          message: `Status changed from ${current.status} to ${command.status}`,
          data: { from: current.status, to: command.status },
        });
      }
      if (command.assignee !== undefined && command.assignee !== current.assignee) {
        sets.push(`assignee = ${bind(command.assignee)}`);
        timeline.push({
          kind: 'assigned',
          message: command.assignee === null ? 'Unassigned' : `Assigned to ${command.assignee}`,
          data: { from: current.assignee, to: command.assignee },
        });
      }
      if (command.severity !== undefined && severityId(command.severity) !== current.severityId) {
        sets.push(`severity_id = ${bind(severityId(command.severity))}`);
        timeline.push({
          kind: 'severity_changed',
          message: `Severity set from ${severityName(current.severityId)} to ${command.severity}`,
          data: { from: severityName(current.severityId), to: command.severity },
        });
      }
      if (sets.length === 0) return;
      await sql.query(`UPDATE incident SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
      await sql.query(
        `INSERT INTO incident_timeline (incident_id, at, kind, actor, message, data)
         SELECT $1, clock_timestamp(), r.kind, $2, r.message, r.data
           FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS (kind text, message text, data jsonb))
                WITH ORDINALITY AS r(kind, message, data, ord)
          ORDER BY r.ord`,
        [command.incidentId, command.actor, JSON.stringify(timeline)],
      );
    });
  }
}
