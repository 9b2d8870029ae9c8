import { Injectable } from '@nestjs/common';

import {
  decodeKeysetCursor,
  encodeKeysetCursor,
  keysetCursorTime,
  SqlExecutor,
  TransactionRunner,
} from '@rampart/database';

import {
  ActionListFilter,
  ActionPage,
  ActionResult,
  ContainmentActionStore,
  LockedAction,
  NewPendingAction,
  UndoRecord,
} from '../../application/containment-action-store';
import { ContainmentAction } from '../../domain/containment-action';
import { ContainmentError, ContainmentErrorCode } from '../../domain/containment-error';
import { violatedForeignKey } from './pg-errors';

const COLUMNS = `id::text, connector_instance_id::text AS "connectorInstanceId", connector_name AS "connectorName",
  capability, operation, target, idempotency_key AS "idempotencyKey", incident_id::text AS "incidentId",
  requested_by AS "requestedBy", requested_at AS "requestedAt", reason, state, outcome, vendor_ref AS "vendorRef",
  error_code AS "errorCode", error_message AS "errorMessage", expires_at AS "expiresAt",
  completed_at AS "completedAt", rolled_back_at AS "rolledBackAt", rollback_of::text AS "rollbackOf", details`;

const CURSOR_TIME = `${keysetCursorTime('requested_at')} AS "cursorTime"`;

const COMPLETE = `UPDATE containment_action
    SET state = $2, outcome = $3, vendor_ref = $4, error_code = $5, error_message = $6, details = details || $7::jsonb,
        completed_at = CASE WHEN $2 = 'pending' THEN NULL ELSE clock_timestamp() END
  WHERE id = $1 AND state = 'pending'
  RETURNING ${COLUMNS}`;

@Injectable()
export class SqlContainmentActionStore extends ContainmentActionStore {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly transactions: TransactionRunner,
  ) {
    super();
  }

  async insertPending(action: NewPendingAction): Promise<ContainmentAction | null> {
    try {
      const [row] = await this.sql.query<ContainmentAction>(
        `INSERT INTO containment_action (connector_instance_id, connector_name, capability, operation, target,
            idempotency_key, incident_id, requested_by, reason, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
            CASE WHEN $10::integer IS NULL THEN NULL ELSE clock_timestamp() + make_interval(secs => $10::integer) END)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
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
        ],
      );
      return row ?? null;
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
          {
            field: 'connector',
          },
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

  async complete(id: string, result: ActionResult): Promise<ContainmentAction | null> {
    const [row] = await this.sql.query<ContainmentAction>(COMPLETE, completeParameters(id, result));
    return row ?? null;
  }

  withLocked<T>(id: string, work: (locked: LockedAction) => Promise<T>): Promise<T | null> {
    return this.claim(`id = $1`, [id], 'ORDER BY id', false, work);
  }

  withNextDue<T>(exclude: string[], work: (locked: LockedAction) => Promise<T>): Promise<T | null> {
    return this.claim(
      `state = 'succeeded' AND expires_at <= clock_timestamp() AND id <> ALL($1::uuid[])`,
      [exclude],
      'ORDER BY expires_at',
      true,
      work,
    );
  }

  withNextStalePending<T>(
    olderThanMs: number,
    exclude: string[],
    work: (locked: LockedAction) => Promise<T>,
  ): Promise<T | null> {
    return this.claim(
      `state = 'pending'
         AND requested_at <= clock_timestamp() - make_interval(secs => $1::double precision / 1000)
         AND id <> ALL($2::uuid[])`,
      [olderThanMs, exclude],
      'ORDER BY requested_at',
      true,
      work,
    );
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

  /** Locks one matching row in a transaction and runs `work` on it before committing. */
  private claim<T>(
    condition: string,
    parameters: unknown[],
    order: string,
    skipLocked: boolean,
    work: (locked: LockedAction) => Promise<T>,
  ): Promise<T | null> {
    return this.transactions.run(async (sql) => {
      const [row] = await sql.query<ContainmentAction>(
        `SELECT ${COLUMNS} FROM containment_action WHERE ${condition} ${order} LIMIT 1
           FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`,
        parameters,
      );
      if (!row) return null;
      return work(lockedAction(sql, row));
    });
  }
}

function lockedAction(sql: SqlExecutor, action: ContainmentAction): LockedAction {
  const one = async (statement: string, parameters: unknown[]): Promise<ContainmentAction> => {
    const [row] = await sql.query<ContainmentAction>(statement, parameters);
    if (!row) throw new Error(`containment action ${action.id} vanished while locked`);
    return row;
  };
  return {
    action,
    complete: (result: ActionResult) => one(COMPLETE, completeParameters(action.id, result)),
    recordUndo: (undo: UndoRecord) =>
      one(
        `INSERT INTO containment_action (connector_instance_id, connector_name, capability, operation, target,
            idempotency_key, incident_id, requested_by, reason, state, outcome, vendor_ref, error_code,
            error_message, details, completed_at, rollback_of)
         SELECT o.connector_instance_id, o.connector_name, o.capability, $2, o.target,
                'undo:' || o.id || ':' || (SELECT count(*) + 1 FROM containment_action u WHERE u.rollback_of = o.id),
                o.incident_id, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, clock_timestamp(), o.id
           FROM containment_action o
          WHERE o.id = $1
         RETURNING ${COLUMNS}`,
        [action.id, undo.operation, undo.requestedBy, undo.reason, ...resultParameters(undo.result)],
      ),
    markUndone: (state) =>
      one(
        `UPDATE containment_action
            SET state = $2,
                rolled_back_at = CASE WHEN $2 IN ('rolled_back', 'expired') THEN clock_timestamp() ELSE rolled_back_at END
          WHERE id = $1
         RETURNING ${COLUMNS}`,
        [action.id, state],
      ),
    annotate: (details) =>
      one(`UPDATE containment_action SET details = details || $2::jsonb WHERE id = $1 RETURNING ${COLUMNS}`, [
        action.id,
        JSON.stringify(details),
      ]),
  };
}

function completeParameters(id: string, result: ActionResult): unknown[] {
  return [id, ...resultParameters(result)];
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
