import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';

import { LoginThrottleStore } from '../../application/login-throttle-store';
import type { ThrottleState } from '../../domain/login-throttle';

interface Row extends ThrottleState {
  key: string;
}

@Injectable()
export class SqlLoginThrottleStore extends LoginThrottleStore {
  async lock(sql: SqlExecutor, keys: string[]): Promise<Map<string, ThrottleState>> {
    const sorted = [...new Set(keys)].sort(); // one lock order, so two logins cannot deadlock
    // A first attempt must lock something too, or two of them would both count from zero.
    await sql.query(
      `INSERT INTO login_throttle (key, failures, window_started_at)
       SELECT key, 0, now() FROM unnest($1::text[]) AS key ORDER BY key
       ON CONFLICT (key) DO NOTHING`,
      [sorted],
    );
    const rows = await sql.query<Row>(
      `SELECT key, failures, window_started_at AS "windowStartedAt", locked_until AS "lockedUntil"
         FROM login_throttle WHERE key = ANY ($1::text[]) ORDER BY key FOR UPDATE`,
      [sorted],
    );
    return new Map(rows.map(({ key, ...state }) => [key, state]));
  }

  async save(sql: SqlExecutor, states: Map<string, ThrottleState>): Promise<void> {
    if (states.size === 0) return;
    const rows = [...states]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, state]) => ({
        key,
        failures: state.failures,
        window_started_at: state.windowStartedAt.toISOString(),
        locked_until: state.lockedUntil?.toISOString() ?? null,
      }));
    await sql.query(
      `INSERT INTO login_throttle (key, failures, window_started_at, locked_until)
       SELECT key, failures, window_started_at, locked_until
         FROM jsonb_to_recordset($1::jsonb)
           AS r(key text, failures integer, window_started_at timestamptz, locked_until timestamptz)
       ON CONFLICT (key) DO UPDATE SET failures = EXCLUDED.failures,
         window_started_at = EXCLUDED.window_started_at, locked_until = EXCLUDED.locked_until`,
      [JSON.stringify(rows)],
    );
  }

  async clear(sql: SqlExecutor, keys: string[]): Promise<void> {
    await sql.query(`DELETE FROM login_throttle WHERE key = ANY ($1::text[])`, [keys]);
  }

  async purge(sql: SqlExecutor, before: Date): Promise<void> {
    await sql.query(
      `DELETE FROM login_throttle
        WHERE window_started_at < $1 AND (locked_until IS NULL OR locked_until < $1)`,
      [before],
    );
  }
}
