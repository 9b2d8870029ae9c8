import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { type AuditEntry, AuditTrail, entryHash, GENESIS_HASH, SignCheckpointUseCase } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { auditVerify } from '../../apps/cli/src/audit-verify';
import { addApiKey, bearer } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// The audit trail on a real PostgreSQL: entries carry the caller and the request id, the chain is
// linear under concurrent writers, PostgreSQL refuses changes, and verification (online and
// offline, on an export) names the first entry that was tampered with.
let rampart: TestRampart;
let workDir: string;
const AUDITOR_KEY = 'rk_audit_trail_auditor_key_000000000';

beforeAll(async () => {
  rampart = await startTestRampart();
  await addApiKey(rampart, 'auditor', AUDITOR_KEY);
  workDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-audit-'));
});

afterAll(async () => {
  await rampart?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const admin = () => bearer(rampart.adminKey);
const auditor = () => bearer(AUDITOR_KEY);

async function entries(query: Record<string, string> = {}): Promise<AuditEntry[]> {
  const response = await request(rampart.url).get('/api/v1/audit').query(query).set(auditor()).expect(200);
  return response.body.items as AuditEntry[];
}

async function verify(): Promise<Record<string, unknown>> {
  return (await request(rampart.url).get('/api/v1/audit/verify').set(auditor()).expect(200)).body;
}

async function exportTrail(): Promise<string> {
  const created = await request(rampart.url)
    .post('/api/v1/reports')
    .set(auditor())
    .send({ kind: 'audit_trail', format: 'ndjson', from: daysFromNow(-1), to: daysFromNow(1) })
    .expect(201);
  const download = await request(rampart.url)
    .get(`/api/v1/reports/${created.body.id}/download`)
    .set(auditor())
    .buffer(true)
    .parse((response, callback) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => callback(null, text));
    })
    .expect(200);
  expect(download.headers['content-type']).toContain('application/x-ndjson');
  return download.body as string;
}

async function offline(content: string, ...args: string[]): Promise<{ status: number; output: string }> {
  const file = path.join(workDir, `export-${Math.random().toString(36).slice(2)}.ndjson`);
  writeFileSync(file, content);
  const lines: string[] = [];
  const status = await auditVerify([file, ...args], (line) => lines.push(line));
  return { status, output: lines.join('\n') };
}

describe('audit trail', () => {
  it('records a change with its caller, request id and before/after, never the secret', async () => {
    await request(rampart.url)
      .put('/api/v1/intake-sources/siem-a')
      .set(admin())
      .set('X-Request-Id', 'req-audit-1')
      .send({ hmacSecret: 'a-very-secret-hmac-value' })
      .expect(200)
      .expect('X-Request-Id', 'req-audit-1');
    const [entry] = await entries({ action: 'intake_source.*' });
    expect(entry).toMatchObject({
      seq: 1,
      action: 'intake_source.created',
      actor: { kind: 'api_key', name: 'SOAR_ADMIN_API_KEY' },
      target: { type: 'intake_source', id: 'siem-a', name: 'siem-a' },
      after: { signed: true, secretChanged: true },
      before: null,
      requestId: 'req-audit-1',
      prevHash: GENESIS_HASH,
    });
    const { hash, ...content } = entry as AuditEntry;
    expect(entryHash(content)).toBe(hash);
    const stored = await rampart.db.query<{ text: string }>(
      `SELECT row_to_json(e)::text AS text FROM audit_entry e`,
    );
    expect(stored.map((row) => row.text).join()).not.toContain('a-very-secret-hmac-value');
  });

  it('answers a request id of its own when the caller gives none, or an unusable one', async () => {
    const response = await request(rampart.url)
      .get('/api/v1/audit/public-key')
      .set('X-Request-Id', 'not ok; <script>')
      .expect(200);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body).toMatchObject({
      algorithm: 'Ed25519',
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('keeps the chain linear and gap-free under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        request(rampart.url)
          .put(`/api/v1/intake-sources/burst-${index % 6}`)
          .set(admin())
          .send({ hmacSecret: null })
          .expect(200),
      ),
    );
    const rows = await rampart.db.query<{ seq: string; prev_hash: string; hash: string }>(
      `SELECT seq::text AS seq, prev_hash, hash FROM audit_entry ORDER BY audit_entry.seq`,
    );
    expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    rows.forEach((row, index) =>
      expect(row.prev_hash).toBe(index === 0 ? GENESIS_HASH : rows[index - 1]?.hash),
    );
    await expect(verify()).resolves.toMatchObject({ valid: true, entries: 25, head: { seq: 25 } });
  });

  it('pages through a search with a cursor, newest first, and filters by actor and time', async () => {
    const first = await request(rampart.url)
      .get('/api/v1/audit')
      .query({ limit: 10 })
      .set(auditor())
      .expect(200);
    expect(first.body.items.map((entry: AuditEntry) => entry.seq)).toEqual([
      25, 24, 23, 22, 21, 20, 19, 18, 17, 16,
    ]);
    const second = await request(rampart.url)
      .get('/api/v1/audit')
      .query({ limit: 10, cursor: first.body.nextCursor })
      .set(auditor())
      .expect(200);
    expect(second.body.items[0].seq).toBe(15);
    expect(await entries({ actor: 'nobody' })).toEqual([]);
    expect(await entries({ to: '2000-01-01T00:00:00Z' })).toEqual([]);
    expect((await entries({ actor: 'SOAR_ADMIN_API_KEY', limit: '500' })).length).toBe(25);
    await request(rampart.url).get('/api/v1/audit').query({ cursor: 'bogus' }).set(auditor()).expect(400);
    await request(rampart.url).get('/api/v1/audit').set(bearer(rampart.adminKey)).expect(200);
  });

  it('is append-only inside PostgreSQL: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await expect(rampart.db.query(`UPDATE audit_entry SET action = 'x' WHERE seq = 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(rampart.db.query(`DELETE FROM audit_entry WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(rampart.db.query(`TRUNCATE audit_entry`)).rejects.toThrow(/append-only/);
  });

  it('exports the trail with a signed checkpoint that the offline verifier accepts, pinned to the published key', async () => {
    const content = await exportTrail();
    const lines = content.trim().split('\n');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ type: 'header', entries: 25 });
    expect(JSON.parse(lines[lines.length - 1] as string)).toMatchObject({ type: 'checkpoint', seq: 25 });
    const key = (await request(rampart.url).get('/api/v1/audit/public-key').expect(200)).body
      .publicKey as string;
    await expect(offline(content, '--public-key', key)).resolves.toMatchObject({ status: 0 });
    const otherKey = Buffer.alloc(32, 7).toString('base64');
    const pinnedElsewhere = await offline(content, '--public-key', otherKey);
    expect(pinnedElsewhere.status).toBe(1);
    expect(pinnedElsewhere.output).toContain('not signed by the trusted key');
    // The export itself was audited, after the entries it holds.
    expect((await entries({ action: 'report.generated' }))[0]).toMatchObject({ seq: 26 });
    await expect(rampart.db.query(`DELETE FROM audit_checkpoint`)).rejects.toThrow(/append-only/);
  });

  it('the offline verifier names the entry changed in an export, and a truncated export', async () => {
    const content = await exportTrail();
    const lines = content.trim().split('\n');
    const tampered = lines.map((line) => {
      const parsed = JSON.parse(line) as { type: string; seq?: number; after?: unknown };
      return parsed.type === 'entry' && parsed.seq === 7
        ? JSON.stringify({ ...parsed, after: { signed: true } })
        : line;
    });
    const result = await offline(tampered.join('\n'), '--json');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.output)).toMatchObject({
      valid: false,
      firstBrokenSeq: 7,
      reason: 'hash_mismatch',
    });
    const truncated = await offline(lines.slice(0, -1).join('\n'));
    expect(truncated.status).toBe(1);
    expect(truncated.output).toContain('truncated');
  });

  it('signs periodic checkpoints only when the chain has grown, and verification checks them', async () => {
    const checkpoints = rampart.app.get(SignCheckpointUseCase);
    const signed = await checkpoints.periodic(0);
    expect(signed).toMatchObject({ seq: 27 });
    await expect(checkpoints.periodic(0)).resolves.toBeNull();
    await expect(verify()).resolves.toMatchObject({
      valid: true,
      checkpoints: { total: 3, valid: 3, latest: { seq: 27 } },
    });
  });

  it('fails verification at exactly the entry altered in SQL with the trigger disabled', async () => {
    await rampart.db.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only`);
    await rampart.db.query(`UPDATE audit_entry SET actor_name = 'someone else' WHERE seq = 12`);
    await rampart.db.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only`);
    const result = await verify();
    expect(result).toMatchObject({ valid: false, firstBrokenSeq: 12, reason: 'hash_mismatch', entries: 11 });
    // The export of the tampered trail fails offline at the same entry.
    const offlineResult = await offline(await exportTrail(), '--json');
    expect(JSON.parse(offlineResult.output)).toMatchObject({ valid: false, firstBrokenSeq: 12 });
  });

  it('names the first missing entry when one is deleted, and a rewritten tail by its checkpoint', async () => {
    const fresh = await startTestRampart();
    try {
      for (const name of ['a', 'b', 'c', 'd']) {
        await request(fresh.url)
          .put(`/api/v1/intake-sources/${name}`)
          .set(bearer(fresh.adminKey))
          .send({ hmacSecret: null });
      }
      await fresh.app.get(SignCheckpointUseCase).execute('periodic');
      await fresh.db.query(`ALTER TABLE audit_entry DISABLE TRIGGER USER`);
      await fresh.db.query(`DELETE FROM audit_entry WHERE seq = 3`);
      const gap = (await request(fresh.url).get('/api/v1/audit/verify').set(bearer(fresh.adminKey))).body;
      expect(gap).toMatchObject({ valid: false, firstBrokenSeq: 3, reason: 'sequence_gap' });
      // Rewrite the tail consistently (recomputed hashes): only the signed checkpoint gives it away.
      await fresh.db.query(`DELETE FROM audit_entry WHERE seq >= 3`);
      await fresh.db.query(
        `UPDATE audit_chain_head SET seq = 2, hash = (SELECT hash FROM audit_entry WHERE seq = 2)`,
      );
      await fresh.db.query(`ALTER TABLE audit_entry ENABLE TRIGGER USER`);
      await request(fresh.url)
        .put('/api/v1/intake-sources/forged')
        .set(bearer(fresh.adminKey))
        .send({ hmacSecret: null });
      await request(fresh.url)
        .put('/api/v1/intake-sources/forged2')
        .set(bearer(fresh.adminKey))
        .send({ hmacSecret: null });
      const rewritten = (await request(fresh.url).get('/api/v1/audit/verify').set(bearer(fresh.adminKey)))
        .body;
      expect(rewritten).toMatchObject({ valid: false, firstBrokenSeq: 4, reason: 'checkpoint_mismatch' });
    } finally {
      await fresh.stop();
    }
  });
});

describe('batches', () => {
  it('appends a batch in order within one transaction, and gives the numbers back when it rolls back', async () => {
    const fresh = await startTestRampart();
    try {
      const trail = fresh.app.get(AuditTrail);
      const transactions = fresh.app.get(TransactionRunner);
      await expect(
        transactions.run(async (sql) => {
          await trail.recordAll(sql, [{ action: 'test.rolled_back', target: { type: 'test', id: null } }]);
          throw new Error('the change fails');
        }),
      ).rejects.toThrow('the change fails');
      await transactions.run((sql) =>
        trail.recordAll(sql, [
          {
            action: 'test.batch',
            target: { type: 'test', id: '1' },
            actor: { kind: 'system', id: null, name: 'test' },
          },
          {
            action: 'test.batch',
            target: { type: 'test', id: `2${String.fromCharCode(0)}` },
            after: { n: 2 },
          },
        ]),
      );
      const batch = (
        await request(fresh.url).get('/api/v1/audit').query({ action: 'test.*' }).set(bearer(fresh.adminKey))
      ).body.items as AuditEntry[];
      expect(batch.map((entry) => [entry.seq, entry.target.id, entry.actor.name])).toEqual([
        [2, '2\uFFFD', 'rampart'],
        [1, '1', 'test'],
      ]);
      const verified = await request(fresh.url).get('/api/v1/audit/verify').set(bearer(fresh.adminKey));
      expect(verified.body).toMatchObject({ valid: true, entries: 2 });
    } finally {
      await fresh.stop();
    }
  });
});

describe('npm run audit:verify', () => {
  it('explains itself and refuses an unreadable file', async () => {
    const lines: string[] = [];
    await expect(auditVerify([], (line) => lines.push(line))).resolves.toBe(2);
    expect(lines.join('\n')).toContain('usage: npm run audit:verify');
    await expect(auditVerify([path.join(workDir, 'missing.ndjson')], () => undefined)).resolves.toBe(2);
    expect(readFileSync).toBeDefined();
  });
});
