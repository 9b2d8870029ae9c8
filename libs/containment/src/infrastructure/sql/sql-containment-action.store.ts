import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { CONTAINMENT_OPERATIONS, type ContainmentOperation, isReversible } from '@rampart/connectors';
import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  keysetCursorTime,
  SqlExecutor,
  TransactionRunner,
  violatedForeignKey,
} from '@rampart/database';

import {
  type ActionActor,
  type AdmitOptions,
  ActionListFilter,
  ActionPage,
  ActionResult,
  Admission,
  type CompletedBy,
  ContainmentActionStore,
  NewPendingAction,
  UndoClaim,
  UndoneState,
  UndoRecord,
} from '../../application/containment-action-store';
import { ContainmentAction } from '../../domain/containment-action';
import { ContainmentError, ContainmentErrorCode } from '../../domain/containment-error';
import { undoKey } from '../../domain/idempotency-key';

const COLUMNS = `id::text, connector_instance_id::text AS "connectorInstanceId", connector_name AS "connectorName",
  capability, operation, target, idempotency_key AS "idempotencyKey", incident_id::text AS "incidentId",
  requested_by AS "requestedBy", requested_at AS "requestedAt", reason, state, outcome, vendor_ref AS "vendorRef",
  error_code AS "errorCode", error_message AS "errorMessage", expires_at AS "expiresAt",
  expires_in_seconds AS "expiresInSeconds", completed_at AS "completedAt", rolled_back_at AS "rolledBackAt",
  rollback_of::text AS "rollbackOf", joined_action_id::text AS "joinedActionId", details`;

const CURSOR_TIME = `${keysetCursorTime('requested_at')} AS "cursorTime"`;
const LEASE_FREE = `(lease_expires_at IS NULL OR lease_expires_at < clock_timestamp())`;
const LEASE_UNTIL = (parameter: string) =>
  `clock_timestamp() + make_interval(secs => ${parameter}::double precision / 1000)`;
const REVERSIBLE_OPERATIONS = CONTAINMENT_OPERATIONS.filter(isReversible);
/** An undo key taken by a row that is not this action's undo (an old, unreserved API key): try the next. */
const MAX_UNDO_KEY_TRIES = 20;

@Injectable()
export class SqlContainmentActionStore extends ContainmentActionStore {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {
    super();
  }

  /** One audit entry for a change of an action, appended last in the transaction that makes it. */
  private record(
    sql: SqlExecutor,
    name: string,
    action: ContainmentAction,
    actor: ActionActor,
    before: Record<string, unknown> | null,
    after: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(sql, {
      action: name,
      target: { type: 'containment_action', id: action.id, name: `${action.operation} ${action.target}` },
      ...(before ? { before } : {}),
      after,
      ...(actor ? { actor } : {}),
    });
  }

  admit(action: NewPendingAction, options: AdmitOptions): Promise<Admission> {
    return this.translatingForeignKeys(action, () =>
      this.transactions.run(async (sql): Promise<Admission> => {
        // One request at a time per target: two runs asking for the same change at once see each other.
        await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
          `containment:${action.connectorInstanceId}:${action.operation}:${action.target}`,
        ]);
        const [known] = await sql.query<ContainmentAction>(
          `SELECT ${COLUMNS} FROM containment_action WHERE idempotency_key = $1`,
          [action.idempotencyKey],
        );
        if (known) return { kind: 'replay', action: known };
        if (options.joinable) {
          const joined = await this.join(sql, action);
          if (joined?.kind === 'joined') {
            await this.record(sql, 'action.joined', joined.action, options.actor, null, {
              ...requestView(joined.action),
              state: 'joined',
              joinedActionId: joined.joined.id,
              joinedExpiresAt: joined.joined.expiresAt,
            });
          }
          if (joined) return joined;
        }
        if (options.limits.length > 0) {
          // Counting and inserting must not interleave with another request of the operation.
          await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
            `blast:${action.operation}`,
          ]);
          for (const limit of options.limits) {
            if (limit.scope === 'incident' && action.incidentId === null) continue;
            const count = await countCounted(
              sql,
              action.operation,
              limit.windowMs,
              limit.scope === 'incident' ? action.incidentId : null,
            );
            if (count >= limit.max) return { kind: 'limit_reached', limit, count };
          }
        }
        const [row] = await sql.query<ContainmentAction>(
          `INSERT INTO containment_action (connector_instance_id, connector_name, capability, operation, target,
              idempotency_key, incident_id, requested_by, reason, expires_in_seconds, expires_at, lease_holder,
              lease_expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::integer,
              CASE WHEN $10::integer IS NULL THEN NULL ELSE clock_timestamp() + make_interval(secs => $10::integer) END,
              $11, ${LEASE_UNTIL('$12')})
           RETURNING ${COLUMNS}`,
          [...requestParameters(action), options.holder, options.leaseMs],
        );
        const created = row as ContainmentAction;
        await this.record(sql, 'action.requested', created, options.actor, null, {
          ...requestView(created),
          state: 'pending',
        });
        return { kind: 'created', action: created };
      }),
    );
  }

  async insertRefused(
    action: NewPendingAction,
    refusal: { errorCode: string; errorMessage: string; details: Record<string, unknown> },
    actor?: ActionActor,
  ): Promise<ContainmentAction> {
    const row = await this.translatingForeignKeys(action, () =>
      this.transactions.run(async (sql) => {
        const [refused] = await sql.query<ContainmentAction>(
          `INSERT INTO containment_action (connector_instance_id, connector_name, capability, operation, target,
            idempotency_key, incident_id, requested_by, reason, expires_in_seconds, state, error_code, error_message,
            details, completed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::integer, 'refused', $11, $12, $13::jsonb, clock_timestamp())
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING ${COLUMNS}`,
          [
            ...requestParameters(action),
            refusal.errorCode,
            refusal.errorMessage,
            JSON.stringify(refusal.details),
          ],
        );
        if (refused) {
          await this.record(sql, 'action.refused', refused, actor, null, {
            ...requestView(refused),
            state: 'refused',
            errorCode: refusal.errorCode,
            errorMessage: refusal.errorMessage,
            ...refusal.details,
          });
        }
        return refused;
      }),
    );
    return row ?? ((await this.findByIdempotencyKey(action.idempotencyKey)) as ContainmentAction);
  }

  /**
   * The request joins the action already doing the same change (pending, or in force and
   * reversible), which then lasts as long as the longer of the two asked for (null: for good).
   */
  private async join(sql: SqlExecutor, action: NewPendingAction): Promise<Admission | undefined> {
    const reversible = isReversible(action.operation);
    const [active] = await sql.query<ContainmentAction>(
      `SELECT ${COLUMNS} FROM containment_action
        WHERE connector_instance_id = $1 AND operation = $2 AND target = $3 AND rollback_of IS NULL
          AND (state = 'pending' OR (state = 'succeeded' AND $4::boolean))
        ORDER BY requested_at LIMIT 1
        FOR UPDATE`,
      [action.connectorInstanceId, action.operation, action.target, reversible],
    );
    if (!active) return undefined;
    let joined = active;
    if (reversible) {
      [joined = active] = await sql.query<ContainmentAction>(
        `UPDATE containment_action
            SET expires_at = CASE WHEN expires_at IS NULL OR $2::integer IS NULL THEN NULL
                                  ELSE GREATEST(expires_at, clock_timestamp() + make_interval(secs => $2::integer)) END
          WHERE id = $1
          RETURNING ${COLUMNS}`,
        [active.id, action.expiresInSeconds],
      );
    }
    const [row] = await sql.query<ContainmentAction>(
      `INSERT INTO containment_action (connector_instance_id, connector_name, capability, operation, target,
          idempotency_key, incident_id, requested_by, reason, expires_in_seconds, state, outcome, completed_at,
          joined_action_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::integer, 'joined', 'already_in_state', clock_timestamp(),
               $11::uuid, jsonb_build_object('joinedActionId', $11::uuid::text))
       RETURNING ${COLUMNS}`,
      [...requestParameters(action), active.id],
    );
    return { kind: 'joined', action: row as ContainmentAction, joined };
  }

  /** A foreign key the request names that does not exist is the caller's mistake, said as one. */
  private async translatingForeignKeys<T>(action: NewPendingAction, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const constraint = violatedForeignKey(error);
      if (constraint === 'fk_containment_action_incident') {
        throw new ContainmentError(
          ContainmentErrorCode.IncidentNotFound,
          `no incident ${action.incidentId}`,
          {
            field: 'incidentId',
          },
        );
      }
      if (constraint === 'fk_containment_action_connector_instance') {
        throw new ContainmentError(
          ContainmentErrorCode.ConnectorNotFound,
          `no connector named "${action.connectorName}"`,
          { field: 'connector' },
        );
      }
      throw error;
    }
  }

  async findById(id: string): Promise<ContainmentAction | null> {
    const [row] = await this.sql.query<ContainmentAction>(
      `SELECT ${COLUMNS} FROM containment_action WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  async findByIdempotencyKey(key: string): Promise<ContainmentAction | null> {
    const [row] = await this.sql.query<ContainmentAction>(
      `SELECT ${COLUMNS} FROM containment_action WHERE idempotency_key = $1`,
      [key],
    );
    return row ?? null;
  }

  complete(
    id: string,
    holder: string,
    result: ActionResult,
    settleMs: number,
    audit: { by: CompletedBy; actor?: ActionActor },
  ): Promise<ContainmentAction | null> {
    return this.transactions.run(async (sql) => {
      const completed = await this.writeResult(sql, id, holder, result, settleMs);
      if (!completed) return null;
      const name =
        audit.by === 'reconciliation'
          ? 'action.reconciled'
          : result.state === 'succeeded'
            ? 'action.executed'
            : result.state === 'failed'
              ? 'action.failed'
              : 'action.outcome_unknown';
      await this.record(sql, name, completed, audit.actor, { state: 'pending' }, resultView(completed));
      return completed;
    });
  }

  private async writeResult(
    sql: SqlExecutor,
    id: string,
    holder: string,
    result: ActionResult,
    settleMs: number,
  ): Promise<ContainmentAction | null> {
    // The first writer of a pending action's result wins: the executor, or the reconciliation
    // once the executor's lease ran out. The other finds the row no longer pending. A call that
    // may still land (a timeout) is left for the vendor to settle one lease long before the
    // reconciliation reads the vendor's state.
    const [row] = await sql.query<ContainmentAction>(
      `UPDATE containment_action
          SET state = $2, outcome = $3, vendor_ref = $4, error_code = $5, error_message = $6,
              details = details || $7::jsonb,
              completed_at = CASE WHEN $2 = 'pending' THEN NULL ELSE clock_timestamp() END,
              lease_holder = NULL,
              lease_expires_at = CASE WHEN $2 = 'pending' THEN ${LEASE_UNTIL('$9')} ELSE NULL END
        WHERE id = $1 AND state = 'pending' AND (lease_holder = $8 OR ${LEASE_FREE})
        RETURNING ${COLUMNS}`,
      [id, ...resultParameters(result), holder, settleMs],
    );
    return row ?? null;
  }

  claimForUndo(id: string, holder: string, leaseMs: number, actor?: ActionActor): Promise<UndoClaim | null> {
    return this.transactions.run((sql) => this.claimForRollback(sql, id, holder, leaseMs, actor));
  }

  private async claimForRollback(
    sql: SqlExecutor,
    id: string,
    holder: string,
    leaseMs: number,
    actor: ActionActor,
  ): Promise<UndoClaim | null> {
    const [claimed] = await sql.query<ContainmentAction>(
      `UPDATE containment_action
          SET lease_holder = $2, lease_expires_at = ${LEASE_UNTIL('$3')}
        WHERE id = $1 AND state IN ('succeeded', 'rollback_failed') AND operation = ANY($4::text[])
          AND ${LEASE_FREE}
        RETURNING ${COLUMNS}`,
      [id, holder, leaseMs, REVERSIBLE_OPERATIONS],
    );
    if (claimed) {
      await this.record(
        sql,
        'action.rollback_requested',
        claimed,
        actor,
        { state: claimed.state },
        { state: claimed.state, rollback: 'in_progress' },
      );
      return { claimed: true, action: claimed };
    }
    const [current] = await sql.query<ContainmentAction & { leased: boolean }>(
      `SELECT ${COLUMNS}, NOT ${LEASE_FREE} AS leased FROM containment_action WHERE id = $1`,
      [id],
    );
    if (!current) return null;
    const { leased, ...action } = current;
    const undoable =
      (action.state === 'succeeded' || action.state === 'rollback_failed') && isReversible(action.operation);
    return { claimed: false, reason: undoable && leased ? 'busy' : 'not_undoable', action };
  }

  claimDue(holder: string, leaseMs: number, limit: number): Promise<ContainmentAction[]> {
    return this.claimMany(
      `state = 'succeeded' AND expires_at <= clock_timestamp() AND ${LEASE_FREE}`,
      'expires_at',
      holder,
      leaseMs,
      limit,
    );
  }

  claimStalePending(holder: string, leaseMs: number, limit: number): Promise<ContainmentAction[]> {
    return this.claimMany(
      `state = 'pending' AND ${LEASE_FREE}`,
      'lease_expires_at NULLS FIRST',
      holder,
      leaseMs,
      limit,
    );
  }

  recordUndo(
    id: string,
    holder: string,
    undo: UndoRecord,
    state: UndoneState,
    actor?: ActionActor,
  ): Promise<{ action: ContainmentAction; undo: ContainmentAction } | null> {
    return this.transactions.run(async (sql) => {
      const [held] = await sql.query<{ attempts: number; state: string }>(
        `SELECT (SELECT count(*) FROM containment_action u WHERE u.rollback_of = o.id)::int AS attempts, o.state
           FROM containment_action o
          WHERE o.id = $1 AND o.lease_holder = $2
          FOR UPDATE`,
        [id, holder],
      );
      if (!held) return null;
      let undoRow: ContainmentAction | undefined;
      for (let attempt = held.attempts + 1; !undoRow; attempt += 1) {
        if (attempt > held.attempts + MAX_UNDO_KEY_TRIES) {
          throw new Error(`no free undo key for action ${id} after ${MAX_UNDO_KEY_TRIES} tries`);
        }
        [undoRow] = await sql.query<ContainmentAction>(
          `INSERT INTO containment_action (connector_instance_id, connector_name, capability, operation, target,
              idempotency_key, incident_id, requested_by, reason, state, outcome, vendor_ref, error_code,
              error_message, details, completed_at, rollback_of)
           SELECT o.connector_instance_id, o.connector_name, o.capability, $2, o.target, $3, o.incident_id,
                  $4, $5, $6, $7, $8, $9, $10, $11::jsonb, clock_timestamp(), o.id
             FROM containment_action o
            WHERE o.id = $1
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING ${COLUMNS}`,
          [
            id,
            undo.operation,
            undoKey(id, attempt),
            undo.requestedBy,
            undo.reason,
            ...resultParameters(undo.result),
          ],
        );
      }
      const [action] = await sql.query<ContainmentAction>(
        `UPDATE containment_action
            SET state = $2, lease_holder = NULL, lease_expires_at = NULL,
                rolled_back_at = CASE WHEN $2 IN ('rolled_back', 'expired') THEN clock_timestamp() ELSE rolled_back_at END
          WHERE id = $1
          RETURNING ${COLUMNS}`,
        [id, state],
      );
      const undone = action as ContainmentAction;
      const name =
        state === 'rollback_failed'
          ? 'action.rollback_failed'
          : state === 'expired'
            ? 'action.expired'
            : 'action.rolled_back';
      const { state: undoState, ...undoResult } = resultView(undoRow);
      await this.record(
        sql,
        name,
        undone,
        actor,
        { state: held.state },
        {
          state,
          undo: { id: undoRow.id, operation: undoRow.operation, state: undoState, ...undoResult },
        },
      );
      return { action: undone, undo: undoRow };
    });
  }

  async release(
    id: string,
    holder: string,
    details: Record<string, unknown>,
    holdOffMs = 0,
  ): Promise<ContainmentAction | null> {
    const [row] = await this.sql.query<ContainmentAction>(
      `UPDATE containment_action
          SET details = details || $3::jsonb,
              lease_holder = NULL,
              lease_expires_at = CASE WHEN $4::integer > 0 THEN ${LEASE_UNTIL('$4')} ELSE NULL END
        WHERE id = $1 AND lease_holder = $2
        RETURNING ${COLUMNS}`,
      [id, holder, JSON.stringify(details), holdOffMs],
    );
    return row ?? null;
  }

  async stampVendorStateRead(id: string, intervalMs: number): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE containment_action SET vendor_state_read_at = clock_timestamp()
        WHERE id = $1
          AND (vendor_state_read_at IS NULL
               OR vendor_state_read_at <= clock_timestamp() - make_interval(secs => $2::double precision / 1000))
        RETURNING id`,
      [id, intervalMs],
    );
    return rows.length === 1;
  }

  countCounted(
    operation: ContainmentOperation,
    windowMs: number | null,
    incidentId: string | null,
  ): Promise<number> {
    return countCounted(this.sql, operation, windowMs, incidentId);
  }

  async list(filter: ActionListFilter): Promise<ActionPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.state?.length) where.push(`state = ANY(${bind(filter.state)}::text[])`);
    if (filter.operation?.length) where.push(`operation = ANY(${bind(filter.operation)}::text[])`);
    if (filter.connector) where.push(`connector_name = ${bind(filter.connector)}`);
    if (filter.incidentId) where.push(`incident_id = ${bind(filter.incidentId)}::uuid`);
    if (filter.cursor) {
      const { time, id } = decodeCursor(filter.cursor);
      where.push(`(requested_at, id) < (${bind(time)}::timestamptz, ${bind(id)}::uuid)`);
    }
    const rows = await this.sql.query<ContainmentAction & { cursorTime: string }>(
      `SELECT ${COLUMNS}, ${CURSOR_TIME}
         FROM containment_action
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY requested_at DESC, id DESC
        LIMIT ${bind(filter.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ cursorTime: _cursorTime, ...action }) => action),
      nextCursor: rows.length > filter.limit && last ? encodeKeysetCursor(last.cursorTime, last.id) : null,
    };
  }

  undoRecordsOf(id: string): Promise<ContainmentAction[]> {
    return this.sql.query<ContainmentAction>(
      `SELECT ${COLUMNS} FROM containment_action WHERE rollback_of = $1 ORDER BY requested_at, id`,
      [id],
    );
  }

  /** Leases up to `limit` matching rows nobody holds; SKIP LOCKED keeps concurrent claimers apart. */
  private claimMany(
    condition: string,
    order: string,
    holder: string,
    leaseMs: number,
    limit: number,
  ): Promise<ContainmentAction[]> {
    return this.sql.query<ContainmentAction>(
      `WITH picked AS (
         SELECT id AS picked_id FROM containment_action WHERE ${condition} ORDER BY ${order} LIMIT $3
            FOR UPDATE SKIP LOCKED)
       UPDATE containment_action SET lease_holder = $1, lease_expires_at = ${LEASE_UNTIL('$2')}
         FROM picked WHERE id = picked.picked_id
       RETURNING ${COLUMNS}`,
      [holder, leaseMs, limit],
    );
  }
}

/**
 * Actions that count against a blast-radius limit: the operation's own (not undos, joins,
 * refusals or failures), in the sliding window and/or of the incident.
 */
async function countCounted(
  sql: SqlExecutor,
  operation: ContainmentOperation,
  windowMs: number | null,
  incidentId: string | null,
): Promise<number> {
  const [counted] = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM containment_action
      WHERE operation = $1 AND rollback_of IS NULL
        AND state IN ('pending', 'succeeded', 'rolled_back', 'expired', 'rollback_failed')
        AND ($2::double precision IS NULL
             OR requested_at > clock_timestamp() - make_interval(secs => $2::double precision / 1000))
        AND ($3::uuid IS NULL OR incident_id = $3::uuid)`,
    [operation, windowMs, incidentId],
  );
  return counted?.n ?? 0;
}

/** The request's own columns, $1-$10 of every insert of a new action. */
function requestParameters(action: NewPendingAction): unknown[] {
  return [
    action.connectorInstanceId,
    action.connectorName,
    action.capability,
    action.operation,
    action.target,
    action.idempotencyKey,
    action.incidentId,
    action.requestedBy,
    action.reason,
    action.expiresInSeconds,
  ];
}

/** state, outcome, vendor_ref, error_code, error_message, details: how a result is written. */
function resultParameters(result: ActionResult): unknown[] {
  const succeeded = result.state === 'succeeded';
  return [
    result.state,
    succeeded ? result.outcome : null,
    succeeded ? result.vendorRef : null,
    succeeded ? null : result.errorCode,
    succeeded ? null : result.errorMessage,
    JSON.stringify(result.details),
  ];
}

function decodeCursor(cursor: string): { time: string; id: string } {
  const position = decodeKeysetCursor(cursor);
  if (position) return position;
  throw new ContainmentError(ContainmentErrorCode.InvalidCursor, 'cursor is not one this API returned', {
    field: 'cursor',
  });
}

/** What an audit entry says of a new request. */
function requestView(action: ContainmentAction): Record<string, unknown> {
  return {
    connector: action.connectorName,
    operation: action.operation,
    target: action.target,
    incidentId: action.incidentId,
    idempotencyKey: action.idempotencyKey,
    requestedBy: action.requestedBy,
    reason: action.reason,
    expiresAt: action.expiresAt,
  };
}

/** What an audit entry says of a vendor call's result (errors are ours and hold no credential). */
function resultView(action: ContainmentAction): Record<string, unknown> {
  return action.state === 'succeeded' || action.outcome !== null
    ? {
        state: action.state,
        outcome: action.outcome,
        vendorRef: action.vendorRef,
        expiresAt: action.expiresAt,
      }
    : { state: action.state, errorCode: action.errorCode, errorMessage: action.errorMessage };
}
