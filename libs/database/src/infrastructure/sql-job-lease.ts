import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '../application/sql-executor';

import { JobLease } from '../application/job-lease';

/**
 * Leases as rows of `job_lease` (name, holder, expires_at). Chosen over a session advisory lock:
 * it needs no connection pinned for the holder's lifetime (and so works through a transaction
 * pooler), it can be read with a SELECT when asking "who runs the sweeper?", and a holder that
 * stalls past its TTL loses it by time alone. The price is up to one TTL before another replica
 * takes over from a dead one, and a brief overlap if a stalled holder wakes up: work claimed with
 * FOR UPDATE SKIP LOCKED and ensure-style vendor calls make that harmless.
 */
@Injectable()
export class SqlJobLease extends JobLease {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async tryAcquire(job: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO job_lease (name, holder, acquired_at, expires_at)
       VALUES ($1, $2, clock_timestamp(), clock_timestamp() + make_interval(secs => $3::double precision / 1000))
       ON CONFLICT (name) DO UPDATE
          SET holder = EXCLUDED.holder,
              expires_at = EXCLUDED.expires_at,
              acquired_at = CASE WHEN job_lease.holder = EXCLUDED.holder THEN job_lease.acquired_at ELSE EXCLUDED.acquired_at END
        WHERE job_lease.holder = EXCLUDED.holder OR job_lease.expires_at < clock_timestamp()
       RETURNING holder`,
      [job, holder, ttlMs],
    );
    return rows.length === 1;
  }

  async release(job: string, holder: string): Promise<void> {
    await this.sql.query(`DELETE FROM job_lease WHERE name = $1 AND holder = $2`, [job, holder]);
  }
}
