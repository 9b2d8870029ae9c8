import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';
import { RequestContext } from '@rampart/web';

import { AuditActor, AuditEntryInput, AuditTrail } from '../../application/audit-trail';
import { type AuditEntry, entryHash } from '../../domain/audit-entry';
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
  record(sql: SqlExecutor, input: AuditEntryInput): Promise<void> {
    return this.recordAll(sql, [input]);
  }

  async recordAll(sql: SqlExecutor, inputs: readonly AuditEntryInput[]): Promise<void> {
    if (inputs.length === 0) return;
    const [head] = await sql.query<{ last: string; prevHash: string; at: string }>(
      `UPDATE audit_chain_head SET seq = seq + $1 WHERE id
       RETURNING seq::text AS last, hash AS "prevHash",
                 to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`,
      [inputs.length],
    );
    if (!head) throw new Error('audit_chain_head is missing: the audit migration did not run');
    const requestId = RequestContext.requestId() ?? null;
    const defaultActor = currentActor();
    let seq = Number(head.last) - inputs.length;
    let prevHash = head.prevHash;
    const rows = inputs.map((input) => {
      seq += 1;
      // Every string as PostgreSQL will keep it (NUL and lone surrogates replaced), before hashing.
      const entry = toStoredJson({
        seq,
        id: randomUUID(),
        at: head.at,
        actor: input.actor ?? defaultActor,
        action: input.action,
        target: { type: input.target.type, id: input.target.id, name: input.target.name ?? null },
        before: input.before ?? null,
        after: input.after ?? null,
        requestId,
        prevHash,
      }) as unknown as Omit<AuditEntry, 'hash'>;
      prevHash = entryHash(entry);
      return { ...entry, hash: prevHash };
    });
    await sql.query(
      `WITH appended AS (
         INSERT INTO audit_entry (seq, id, at, actor_kind, actor_id, actor_name, action, target_type, target_id,
                                  target_name, before, after, request_id, prev_hash, hash)
         SELECT r.seq, r.id, r.at, r.actor_kind, r.actor_id, r.actor_name, r.action, r.target_type, r.target_id,
                r.target_name, r.before, r.after, r.request_id, r.prev_hash, r.hash
           FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, id uuid, at timestamptz, actor_kind text, actor_id text,
                actor_name text, action text, target_type text, target_id text, target_name text, before jsonb,
                after jsonb, request_id text, prev_hash text, hash text)
         RETURNING seq, hash)
       UPDATE audit_chain_head SET hash = (SELECT hash FROM appended ORDER BY seq DESC LIMIT 1)
        WHERE audit_chain_head.id`,
      [
        JSON.stringify(
          rows.map((entry) => ({
            seq: entry.seq,
            id: entry.id,
            at: entry.at,
            actor_kind: entry.actor.kind,
            actor_id: entry.actor.id,
            actor_name: entry.actor.name,
            action: entry.action,
            target_type: entry.target.type,
            target_id: entry.target.id,
            target_name: entry.target.name,
            // jsonb_to_recordset reads a JSON null as SQL NULL: absent and null are stored alike.
            before: entry.before,
            after: entry.after,
            request_id: entry.requestId,
            prev_hash: entry.prevHash,
            hash: entry.hash,
          })),
        ),
      ],
    );
  }
}

/** The caller of the current request; anonymous before authentication; outside a request, the system. */
function currentActor(): AuditActor {
  if (!RequestContext.active()) return SYSTEM;
  return RequestContext.actor() ?? ANONYMOUS;
}
