import { Injectable } from '@nestjs/common';

import { decodeKeysetCursor, encodeKeysetCursor, keysetCursorTime, SqlExecutor } from '@rampart/database';

import { type RunListFilter, RunQueries, type RunSummary } from '../../application/runs/run-queries';
import type { ApprovalRecord } from '../../application/runs/run-repository';
import type { RunState } from '../../domain';
import { APPROVAL_COLUMNS } from './sql-run.repository';

const SUMMARY = `r.id::text, r.playbook_id AS "playbookId", r.playbook_hash AS "playbookHash", r.incident_id::text AS "incidentId",
  r.parent_run_id::text AS "parentRunId", r.status, r.reason, r.started_by AS "startedBy", r.started_at AS "startedAt",
  r.finished_at AS "finishedAt"`;

export class InvalidRunCursorError extends Error {}

@Injectable()
export class SqlRunQueries extends RunQueries {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async list(filter: RunListFilter): Promise<{ items: RunSummary[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.incidentId) where.push(`r.incident_id = ${bind(filter.incidentId)}::uuid`);
    if (filter.playbookId) where.push(`r.playbook_id = ${bind(filter.playbookId)}`);
    if (filter.status?.length) where.push(`r.status = ANY(${bind(filter.status)}::text[])`);
    if (filter.cursor) {
      const position = decodeKeysetCursor(filter.cursor);
      if (!position) throw new InvalidRunCursorError('cursor is not one this API returned');
      where.push(`(r.started_at, r.id) < (${bind(position.time)}::timestamptz, ${bind(position.id)}::uuid)`);
    }
    const rows = await this.sql.query<RunRow & { cursorTime: string }>(
      `SELECT ${SUMMARY}, ${keysetCursorTime('r.started_at')} AS "cursorTime"
         FROM playbook_run r
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY r.started_at DESC, r.id DESC
        LIMIT ${bind(filter.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(summary),
      nextCursor: rows.length > filter.limit && last ? encodeKeysetCursor(last.cursorTime, last.id) : null,
    };
  }

  async get(runId: string): Promise<Record<string, unknown> | null> {
    const [row] = await this.sql.query<RunRow & { state: RunState | null; nextWakeupAt: Date | null }>(
      `SELECT ${SUMMARY}, r.state, r.next_wakeup_at AS "nextWakeupAt" FROM playbook_run r WHERE r.id = $1`,
      [runId],
    );
    if (!row) return null;
    const [approvals, timeline, dispatches, children] = await Promise.all([
      this.sql.query<ApprovalRecord>(
        `SELECT ${APPROVAL_COLUMNS} FROM playbook_approval WHERE run_id = $1 ORDER BY requested_at, id`,
        [runId],
      ),
      this.sql.query(
        `SELECT at, kind, step_id AS "stepId", instance, status, message FROM playbook_run_timeline
          WHERE run_id = $1 ORDER BY id`,
        [runId],
      ),
      this.sql.query(
        `SELECT d.idempotency_key AS "idempotencyKey", d.status AS "dispatch", d.attempts, d.action_id::text AS "actionId",
                a.state, a.outcome, a.connector_name AS connector, a.operation, a.target, a.error_code AS "errorCode",
                a.expires_at AS "expiresAt", a.joined_action_id::text AS "joinedActionId"
           FROM playbook_run_dispatch d LEFT JOIN containment_action a ON a.id = d.action_id
          WHERE d.run_id = $1 ORDER BY d.created_at`,
        [runId],
      ),
      this.sql.query<RunRow>(
        `SELECT ${SUMMARY} FROM playbook_run r WHERE r.parent_run_id = $1 ORDER BY r.started_at`,
        [runId],
      ),
    ]);
    const state = row.state;
    return {
      ...summary(row),
      nextWakeupAt: row.nextWakeupAt === null ? null : new Date(row.nextWakeupAt).toISOString(),
      inputs: state?.inputs ?? {},
      variables: state?.vars ?? {},
      steps: state
        ? Object.values(state.steps).map((step) => ({
            instance: step.key,
            stepId: step.stepId,
            kind: step.kind,
            status: step.status,
            attempt: step.attempt,
            item: step.item,
            startedAt: step.startedAt,
            finishedAt: step.finishedAt,
            durationMs:
              step.finishedAt === null ? null : Date.parse(step.finishedAt) - Date.parse(step.startedAt),
            action: step.action,
            output: step.output,
            error: step.error,
            reason: step.reason,
          }))
        : [],
      approvals,
      actions: dispatches,
      subruns: children.map(summary),
      timeline,
    };
  }

  approvals(filter: { status?: string[]; incidentId?: string; limit: number }): Promise<ApprovalRecord[]> {
    return this.sql.query<ApprovalRecord>(
      `SELECT ${APPROVAL_COLUMNS} FROM playbook_approval
        WHERE ($1::text[] IS NULL OR status = ANY($1::text[])) AND ($2::uuid IS NULL OR incident_id = $2::uuid)
        ORDER BY requested_at DESC LIMIT $3`,
      [filter.status ?? null, filter.incidentId ?? null, filter.limit],
    );
  }
}

interface RunRow {
  id: string;
  playbookId: string;
  playbookHash: string;
  incidentId: string;
  parentRunId: string | null;
  status: string;
  reason: string | null;
  startedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
}

function summary(row: RunRow): RunSummary {
  const startedAt = new Date(row.startedAt);
  const finishedAt = row.finishedAt === null ? null : new Date(row.finishedAt);
  return {
    id: row.id,
    playbookId: row.playbookId,
    playbookHash: row.playbookHash,
    incidentId: row.incidentId,
    parentRunId: row.parentRunId,
    status: row.status,
    reason: row.reason,
    startedBy: row.startedBy,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt?.toISOString() ?? null,
    durationMs: finishedAt === null ? null : finishedAt.getTime() - startedAt.getTime(),
  };
}
