import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';
import { RequestContext } from '@rampart/web';

import { AuditActor, AuditEntryInput, AuditTrail } from '../../application/audit-trail';
import { entryHash } from '../../domain/audit-entry';
import { toStoredJson } from '../../domain/canonical-json';

const SYSTEM: AuditActor = { kind: 'system', id: null, name: 'rampart' };
const ANONYMOUS: AuditActor = { kind: 'anonymous', id: null, name: 'anonymous' };

/**
 * Appends to `audit_entry` under the one-row chain head, locked by the UPDATE that reserves the next
 * sequence number: concurrent transactions append one after another, so the chain stays linear and
 * gap-free (a rolled-back transaction gives its number back). The lock is held until the caller's
 * transaction ends, which is why appending comes last in it.
 */
@Injectable()
export class SqlAuditTrail extends AuditTrail {
  async record(sql: SqlExecutor, input: AuditEntryInput): Promise<void> {
    const [head] = await sql.query<{ seq: string; prevHash: string; at: string }>(
      `UPDATE audit_chain_head SET seq = seq + 1 WHERE id
       RETURNING seq::text AS seq, hash AS "prevHash",
                 to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`,
    );
    if (!head) throw new Error('audit_chain_head is missing: the audit migration did not run');
    const entry = {
      seq: Number(head.seq),
      id: randomUUID(),
      at: head.at,
      actor: input.actor ?? currentActor(),
      action: input.action,
      target: { type: input.target.type, id: input.target.id, name: input.target.name ?? null },
      before: toStoredJson(input.before),
      after: toStoredJson(input.after),
      requestId: RequestContext.requestId() ?? null,
      prevHash: head.prevHash,
    };
    const hash = entryHash(entry);
    await sql.query(
      `WITH appended AS (
         INSERT INTO audit_entry (seq, id, at, actor_kind, actor_id, actor_name, action, target_type, target_id,
                                  target_name, before, after, request_id, prev_hash, hash)
         VALUES ($1, $2, $3::timestamptz, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13, $14, $15)
         RETURNING hash)
       UPDATE audit_chain_head SET hash = appended.hash FROM appended WHERE audit_chain_head.id`,
      [
        entry.seq,
        entry.id,
        entry.at,
        entry.actor.kind,
        entry.actor.id,
        entry.actor.name,
        entry.action,
        entry.target.type,
        entry.target.id,
        entry.target.name,
        entry.before === null ? null : JSON.stringify(entry.before),
        entry.after === null ? null : JSON.stringify(entry.after),
        entry.requestId,
        entry.prevHash,
        hash,
      ],
    );
  }
}

/** The caller of the current request; anonymous before authentication; outside a request, the system. */
function currentActor(): AuditActor {
  if (!RequestContext.active()) return SYSTEM;
  return RequestContext.actor() ?? ANONYMOUS;
}
