import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable playbook runs: the run (its state machine's JSON state, the playbook text it runs, a
 * lease for the worker advancing it), its inbox of events, its outbox of containment dispatches,
 * its approvals and timeline, and the trigger consumer's cursor on the incident event feed.
 */
export class PlaybookRuns1764930000000 implements MigrationInterface {
  name = 'PlaybookRuns1764930000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE playbook_run (
        id uuid PRIMARY KEY,
        playbook_id text NOT NULL,
        playbook_hash text NOT NULL,
        playbook_file text NOT NULL,
        playbook_source text NOT NULL,
        incident_id uuid NOT NULL,
        parent_run_id uuid,
        subrun_key text,
        trigger_key text NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
        reason text,
        started_by text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        next_wakeup_at timestamptz,
        state jsonb,
        lease_holder text,
        lease_expires_at timestamptz,
        CONSTRAINT fk_playbook_run_incident FOREIGN KEY (incident_id) REFERENCES incident (id),
        CONSTRAINT fk_playbook_run_parent FOREIGN KEY (parent_run_id) REFERENCES playbook_run (id),
        CONSTRAINT uq_playbook_run_subrun_key UNIQUE (subrun_key),
        CONSTRAINT uq_playbook_run_trigger UNIQUE (playbook_id, incident_id, trigger_key)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_playbook_run_incident ON playbook_run (incident_id, started_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_playbook_run_wakeup ON playbook_run (next_wakeup_at) WHERE status = 'running'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_playbook_run_started ON playbook_run (started_at DESC, id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE playbook_run_event (
        seq bigserial PRIMARY KEY,
        run_id uuid NOT NULL,
        event jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        processed_at timestamptz,
        CONSTRAINT fk_playbook_run_event_run FOREIGN KEY (run_id) REFERENCES playbook_run (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_playbook_run_event_pending ON playbook_run_event (run_id, seq) WHERE processed_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE playbook_run_dispatch (
        idempotency_key text PRIMARY KEY,
        run_id uuid NOT NULL,
        command jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done')),
        action_id uuid,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        done_at timestamptz,
        CONSTRAINT fk_playbook_run_dispatch_run FOREIGN KEY (run_id) REFERENCES playbook_run (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_playbook_run_dispatch_pending ON playbook_run_dispatch (run_id, next_attempt_at)
        WHERE status = 'pending'`,
    );

    await queryRunner.query(`
      CREATE TABLE playbook_approval (
        id text PRIMARY KEY,
        run_id uuid NOT NULL,
        incident_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('step', 'guardrail')),
        step_id text NOT NULL,
        instance text NOT NULL,
        message text NOT NULL,
        approvers jsonb NOT NULL,
        action jsonb,
        requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz NOT NULL,
        on_timeout text NOT NULL CHECK (on_timeout IN ('approve', 'reject')),
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
        decided_by text,
        decided_by_kind text,
        decided_at timestamptz,
        reason text,
        CONSTRAINT fk_playbook_approval_run FOREIGN KEY (run_id) REFERENCES playbook_run (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_playbook_approval_pending ON playbook_approval (requested_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX ix_playbook_approval_run ON playbook_approval (run_id)`);

    await queryRunner.query(`
      CREATE TABLE playbook_run_timeline (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        step_id text,
        instance text,
        status text,
        message text NOT NULL,
        CONSTRAINT fk_playbook_run_timeline_run FOREIGN KEY (run_id) REFERENCES playbook_run (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_playbook_run_timeline_run ON playbook_run_timeline (run_id, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE engine_cursor (
        name text PRIMARY KEY,
        cursor text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'engine_cursor',
      'playbook_run_timeline',
      'playbook_approval',
      'playbook_run_dispatch',
      'playbook_run_event',
      'playbook_run',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
