import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';

import { type ActiveSession, type NewSession, SessionStore } from '../../application/session-store';

@Injectable()
export class SqlSessionStore extends SessionStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async create(sql: SqlExecutor, session: NewSession): Promise<{ id: string; expiresAt: Date }> {
    const [row] = await sql.query<{ id: string; expiresAt: Date }>(
      `INSERT INTO user_session (secret_hash, user_id, method, expires_at, client_address, user_agent)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5, $6)
       RETURNING id::text, expires_at AS "expiresAt"`,
      [
        session.secretHash,
        session.userId,
        session.method,
        session.lifetimeSeconds,
        session.clientAddress,
        session.userAgent,
      ],
    );
    return row as { id: string; expiresAt: Date };
  }

  // On every request of a signed-in user: one statement. The last-seen time is written at most
  // every tenth of the idle timeout (15 s at most), which is all the idle timeout needs.
  async active(secretHash: string, idleSeconds: number): Promise<ActiveSession | null> {
    const [row] = await this.sql.query<ActiveSession>(
      `WITH live AS (
         SELECT s.id, s.user_id, s.last_seen_at, s.expires_at, u.username, u.role
           FROM user_session s JOIN user_account u ON u.id = s.user_id
          WHERE s.secret_hash = $1 AND s.expires_at > now()
            AND s.last_seen_at > now() - make_interval(secs => $2) AND u.disabled_at IS NULL),
       touched AS (
         UPDATE user_session SET last_seen_at = now() FROM live
          WHERE user_session.id = live.id AND live.last_seen_at < now() - make_interval(secs => $3))
       SELECT id::text AS "sessionId", user_id::text AS "userId", username, role, expires_at AS "expiresAt"
         FROM live`,
      [secretHash, idleSeconds, Math.min(15, idleSeconds / 10)],
    );
    return row ?? null;
  }

  async delete(sql: SqlExecutor, secretHash: string): Promise<{ id: string; userId: string } | null> {
    const [row] = await sql.query<{ id: string; userId: string }>(
      `DELETE FROM user_session WHERE secret_hash = $1 RETURNING id::text, user_id::text AS "userId"`,
      [secretHash],
    );
    return row ?? null;
  }

  async deleteForUser(sql: SqlExecutor, userId: string, keepSessionId?: string): Promise<number> {
    const rows = await sql.query(
      `DELETE FROM user_session WHERE user_id = $1 AND id IS DISTINCT FROM $2::uuid RETURNING id`,
      [userId, keepSessionId ?? null],
    );
    return rows.length;
  }

  async purgeExpired(sql: SqlExecutor, idleSeconds: number): Promise<number> {
    const rows = await sql.query(
      `DELETE FROM user_session
        WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1)
        RETURNING id`,
      [idleSeconds],
    );
    return rows.length;
  }
}
