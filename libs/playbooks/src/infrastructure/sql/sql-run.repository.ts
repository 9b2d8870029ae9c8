import { Injectable } from '@nestjs/common';

import { SqlExecutor, TransactionRunner } from '@rampart/database';

import {
  type ApprovalRecord,
  type DispatchOutcome,
  type DispatchRecord,
  type NewRun,
  type RunRecord,
  RunRepository,
  type UndeliveredEvent,
} from '../../application/runs/run-repository';
import type {
  Decider,
  ExecuteActionCommand,
  RequestApprovalCommand,
  RunEvent,
  RunState,
  RunStatus,
  TimelineEntry,
} from '../../domain';

/** The channel a NOTIFY names when a run has new work; delivered at commit. */
export const PLAYBOOK_RUN_CHANNEL = 'playbook_run';

const RUN_COLUMNS = `id::text, playbook_id AS "playbookId", playbook_hash AS "playbookHash", playbook_file AS "playbookFile",
  playbook_source AS "playbookSource", incident_id::text AS "incidentId", parent_run_id::text AS "parentRunId",
  subrun_key AS "subrunKey", status, started_by AS "startedBy", started_at AS "startedAt",
  next_wakeup_at AS "nextWakeupAt", state`;

export const APPROVAL_COLUMNS = `id, run_id::text AS "runId", incident_id::text AS "incidentId", kind, step_id AS "stepId",
  instance, message, approvers, action, requested_at AS "requestedAt", expires_at AS "expiresAt",
  on_timeout AS "onTimeout", status, decided_by AS "decidedBy", decided_by_kind AS "decidedByKind",
  decided_at AS "decidedAt", reason`;

@Injectable()
export class SqlRunRepository extends RunRepository {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly transactions: TransactionRunner,
  ) {
    super();
  }

  async insertRun(sql: SqlExecutor, run: NewRun): Promise<boolean> {
    const inserted = await sql.query(
      `INSERT INTO playbook_run (id, playbook_id, playbook_hash, playbook_file, playbook_source, incident_id,
          parent_run_id, subrun_key, trigger_key, started_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        run.id,
        run.playbookId,
        run.playbookHash,
        run.playbookFile,
        run.playbookSource,
        run.incidentId,
        run.parentRunId,
        run.subrunKey,
        run.triggerKey,
        run.startedBy,
      ],
    );
    if (inserted.length === 0) return false;
    await this.appendEvent(sql, run.id, run.started);
    return true;
  }

  async appendEvent(sql: SqlExecutor, runId: string, event: RunEvent): Promise<void> {
    await sql.query(
      `WITH appended AS (INSERT INTO playbook_run_event (run_id, event) VALUES ($1, $2::jsonb) RETURNING 1)
       SELECT pg_notify('${PLAYBOOK_RUN_CHANNEL}', '') FROM appended`,
      [runId, JSON.stringify(event)],
    );
  }

  async claimRunnable(holder: string, leaseMs: number, limit: number): Promise<string[]> {
    const rows = await this.sql.query<{ id: string }>(
      `WITH picked AS (
         SELECT r.id AS picked_id FROM playbook_run r
          WHERE (r.lease_expires_at IS NULL OR r.lease_expires_at < clock_timestamp())
            AND (EXISTS (SELECT 1 FROM playbook_run_event e WHERE e.run_id = r.id AND e.processed_at IS NULL)
                 OR (r.status = 'running' AND r.next_wakeup_at <= clock_timestamp())
                 OR EXISTS (SELECT 1 FROM playbook_run_dispatch d
                             WHERE d.run_id = r.id AND d.status = 'pending' AND d.next_attempt_at <= clock_timestamp()))
          ORDER BY r.started_at
          LIMIT $3
          FOR UPDATE SKIP LOCKED)
       UPDATE playbook_run SET lease_holder = $1,
              lease_expires_at = clock_timestamp() + make_interval(secs => $2::double precision / 1000)
         FROM picked WHERE id = picked.picked_id
       RETURNING id::text`,
      [holder, leaseMs, limit],
    );
    return rows.map((row) => row.id);
  }

  async release(runId: string, holder: string): Promise<void> {
    await this.sql.query(
      `UPDATE playbook_run SET lease_holder = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_holder = $2`,
      [runId, holder],
    );
  }

  async renew(runId: string, holder: string, leaseMs: number): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE playbook_run SET lease_expires_at = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
        WHERE id = $1 AND lease_holder = $2
        RETURNING id`,
      [runId, holder, leaseMs],
    );
    return rows.length === 1;
  }

  async lockHeld(sql: SqlExecutor, runId: string, holder: string): Promise<RunRecord | null> {
    const [row] = await sql.query<RunRecord>(
      `SELECT ${RUN_COLUMNS} FROM playbook_run WHERE id = $1 AND lease_holder = $2 FOR UPDATE`,
      [runId, holder],
    );
    return row
      ? { ...row, startedAt: new Date(row.startedAt), nextWakeupAt: dateOrNull(row.nextWakeupAt) }
      : null;
  }

  undelivered(sql: SqlExecutor, runId: string): Promise<UndeliveredEvent[]> {
    return sql.query<UndeliveredEvent>(
      `SELECT seq::text, event FROM playbook_run_event WHERE run_id = $1 AND processed_at IS NULL ORDER BY seq`,
      [runId],
    );
  }

  async saveState(sql: SqlExecutor, runId: string, state: RunState, delivered: string[]): Promise<void> {
    await sql.query(
      `UPDATE playbook_run
          SET state = $2::jsonb, status = $3, reason = $4, next_wakeup_at = $5,
              finished_at = CASE WHEN $3 = 'running' THEN NULL ELSE COALESCE(finished_at, clock_timestamp()) END
        WHERE id = $1`,
      [
        runId,
        JSON.stringify(state),
        state.status,
        state.reason,
        state.status === 'running' ? state.nextWakeupAt : null,
      ],
    );
    if (delivered.length > 0) {
      await sql.query(
        `UPDATE playbook_run_event SET processed_at = clock_timestamp() WHERE seq = ANY($1::bigint[])`,
        [delivered],
      );
    }
  }

  async addDispatch(sql: SqlExecutor, runId: string, command: ExecuteActionCommand): Promise<void> {
    await sql.query(
      `INSERT INTO playbook_run_dispatch (idempotency_key, run_id, command) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [command.idempotencyKey, runId, JSON.stringify(command)],
    );
  }

  dueDispatches(runId: string): Promise<DispatchRecord[]> {
    return this.sql.query<DispatchRecord>(
      `SELECT idempotency_key AS "idempotencyKey", run_id::text AS "runId", command, attempts
         FROM playbook_run_dispatch
        WHERE run_id = $1 AND status = 'pending' AND next_attempt_at <= clock_timestamp()
        ORDER BY created_at`,
      [runId],
    );
  }

  finishDispatch(dispatch: DispatchRecord, outcome: DispatchOutcome): Promise<void> {
    return this.transactions.run(async (sql) => {
      if (outcome.kind === 'later') {
        await sql.query(
          `UPDATE playbook_run_dispatch
              SET attempts = attempts + 1, next_attempt_at = $2, action_id = COALESCE($3::uuid, action_id)
            WHERE idempotency_key = $1 AND status = 'pending'`,
          [dispatch.idempotencyKey, outcome.at, outcome.actionId],
        );
        return;
      }
      const [done] = await sql.query(
        `UPDATE playbook_run_dispatch
            SET status = 'done', done_at = clock_timestamp(), attempts = attempts + 1,
                action_id = COALESCE($2::uuid, action_id)
          WHERE idempotency_key = $1 AND status = 'pending'
          RETURNING 1`,
        [dispatch.idempotencyKey, outcome.actionId],
      );
      // Another worker (after a lease ran out) delivered it already: once is enough.
      if (done) await this.appendEvent(sql, dispatch.runId, outcome.event);
    });
  }

  async addApproval(sql: SqlExecutor, run: RunRecord, command: RequestApprovalCommand): Promise<void> {
    await sql.query(
      `INSERT INTO playbook_approval (id, run_id, incident_id, kind, step_id, instance, message, approvers, action,
          expires_at, on_timeout)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11)
       ON CONFLICT (id) DO NOTHING`,
      [
        command.approvalId,
        run.id,
        run.incidentId,
        command.kind,
        command.stepId,
        command.instance,
        command.message,
        JSON.stringify(command.approvers),
        command.action === null ? null : JSON.stringify(command.action),
        command.expiresAt,
        command.onTimeout,
      ],
    );
  }

  async closeApproval(sql: SqlExecutor, approvalId: string, reason: string): Promise<void> {
    await sql.query(
      `UPDATE playbook_approval SET status = 'withdrawn', reason = COALESCE(reason, $2), decided_at = clock_timestamp(),
              decided_by = COALESCE(decided_by, 'system'), decided_by_kind = COALESCE(decided_by_kind, 'system')
        WHERE id = $1 AND status = 'pending'`,
      [approvalId, reason],
    );
  }

  async approvalsFor(sql: SqlExecutor, runId: string, step: string): Promise<ApprovalRecord[] | null> {
    const [run] = await sql.query(`SELECT 1 FROM playbook_run WHERE id = $1`, [runId]);
    if (!run) return null;
    return sql.query<ApprovalRecord>(
      `SELECT ${APPROVAL_COLUMNS} FROM playbook_approval
        WHERE run_id = $1 AND (id = $2 OR instance = $2 OR step_id = $2)
        ORDER BY requested_at
        FOR UPDATE`,
      [runId, step],
    );
  }

  async recordDecision(
    sql: SqlExecutor,
    approvalId: string,
    decision: 'approved' | 'rejected',
    by: Decider,
    reason: string | null,
  ): Promise<ApprovalRecord> {
    const [row] = await sql.query<ApprovalRecord>(
      `UPDATE playbook_approval
          SET status = $2, decided_by = $3, decided_by_kind = $4, decided_at = clock_timestamp(), reason = $5
        WHERE id = $1
        RETURNING ${APPROVAL_COLUMNS}`,
      [approvalId, decision, by.name, by.kind, reason],
    );
    return row as ApprovalRecord;
  }

  async lockRun(sql: SqlExecutor, runId: string): Promise<{ status: RunStatus; playbookId: string } | null> {
    const [row] = await sql.query<{ status: RunStatus; playbookId: string }>(
      `SELECT status, playbook_id AS "playbookId" FROM playbook_run WHERE id = $1 FOR UPDATE`,
      [runId],
    );
    return row ?? null;
  }

  async appendTimeline(sql: SqlExecutor, runId: string, entries: TimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await sql.query(
      `INSERT INTO playbook_run_timeline (run_id, at, kind, step_id, instance, status, message)
       SELECT $1, r.at, r.kind, r."stepId", r.instance, r.status, r.message
         FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (at timestamptz, kind text, "stepId" text, instance text,
              status text, message text)) WITH ORDINALITY AS r(at, kind, "stepId", instance, status, message, ord)
        ORDER BY r.ord`,
      [runId, JSON.stringify(entries)],
    );
  }

  async findBySubrunKey(
    sql: SqlExecutor,
    subrunKey: string,
  ): Promise<{ id: string; status: RunStatus } | null> {
    const [row] = await sql.query<{ id: string; status: RunStatus }>(
      `SELECT id::text, status FROM playbook_run WHERE subrun_key = $1`,
      [subrunKey],
    );
    return row ?? null;
  }

  async playbooksRunOnEach(incidentIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await this.sql.query<{ incidentId: string; playbookId: string }>(
      `SELECT DISTINCT incident_id::text AS "incidentId", playbook_id AS "playbookId"
         FROM playbook_run WHERE incident_id = ANY($1::uuid[]) AND parent_run_id IS NULL`,
      [[...new Set(incidentIds)]],
    );
    const ran = new Map<string, string[]>();
    for (const row of rows) ran.set(row.incidentId, [...(ran.get(row.incidentId) ?? []), row.playbookId]);
    return ran;
  }

  async readCursor(sql: SqlExecutor, name: string): Promise<string | null> {
    const [row] = await sql.query<{ cursor: string | null }>(
      `SELECT cursor FROM engine_cursor WHERE name = $1`,
      [name],
    );
    return row?.cursor ?? null;
  }

  async writeCursor(sql: SqlExecutor, name: string, cursor: string | null): Promise<void> {
    await sql.query(
      `INSERT INTO engine_cursor (name, cursor, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
      [name, cursor],
    );
  }
}

function dateOrNull(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}
