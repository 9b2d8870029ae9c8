// The fuzz suite of the hardening issue: at least 10,000 generated hostile webhook requests
// (unstorable text, truncation, deep nesting, huge numbers, invalid UTF-8, duplicate and prototype
// keys, wrong content types, compressed bodies and bombs, wrong shapes, hostile lines, headers and
// query parameters, unauthenticated clients) at the real server, concurrently, with valid alerts
// interleaved: no answer is a 5xx, every valid alert is stored, and the server still serves.
// FUZZ_SEED and FUZZ_RUNS reproduce or widen a run; a failure names the seed and the request.
import http from 'node:http';

import fc from 'fast-check';
import request from 'supertest';

import { hostileRequest, type HostileRequest, validAlert } from '../support/hostile-bodies';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const VALID_EVERY = 25;
const CONCURRENCY = 16;

let rampart: TestRampart;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

beforeAll(async () => {
  rampart = await startTestRampart(
    {},
    {
      // This database is thrown away: commits need not wait for the disk, which on a busy CI
      // machine would measure fsync rather than the intake.
      prepareDatabase: (db) =>
        db.query(`ALTER DATABASE ${db.name} SET synchronous_commit = off`).then(() => undefined),
    },
  );
  await request(rampart.url)
    .put('/api/v1/intake-sources/fuzz-signed')
    .set({ Authorization: `Bearer ${rampart.adminKey}` })
    .send({ hmacSecret: 'fuzz-signed-source-secret' })
    .expect(200);
});

afterAll(async () => {
  agent.destroy();
  await rampart.stop();
});

function send(target: URL, hostile: HostileRequest, key: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      ...hostile.headers,
      'Content-Length': hostile.body.length,
    };
    if (!hostile.anonymous) headers.Authorization = `Bearer ${key}`;
    const outgoing = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: `/api/v1/alerts${hostile.query ? `?${hostile.query}` : ''}`,
        headers,
        agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    // The server may answer (413, 401) and close before reading everything: that is an answer.
    outgoing.on('error', (error) => reject(error));
    outgoing.end(hostile.body);
  });
}

describe('intake fuzzing', () => {
  jest.setTimeout(300_000);

  it(`answers ${RUNS} hostile requests without a 5xx, stores every valid alert beside them, and keeps serving`, async () => {
    const hostile = fc.sample(hostileRequest, { numRuns: RUNS, seed: SEED });
    const tag = `s${SEED}`;
    const valid: string[] = [];
    const queue: { index: number; request: HostileRequest; valid: boolean }[] = [];
    hostile.forEach((item, index) => {
      if (index % VALID_EVERY === 0) {
        const alert = validAlert(index, tag);
        valid.push(alert.title);
        queue.push({ index, request: alert.request, valid: true });
      }
      queue.push({ index, request: item, valid: false });
    });

    const target = new URL(rampart.url);
    const failures: string[] = [];
    const kinds = new Map<string, Map<number, number>>();
    const slowest = new Map<string, number>();
    const total = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const entry = queue[next++] as (typeof queue)[number];
        let answer: { status: number; body: string };
        const started = performance.now();
        try {
          answer = await send(target, entry.request, rampart.adminKey);
        } catch (error) {
          // A reset after an early answer (a body over the limit) is not a server failure; say so.
          answer = { status: -1, body: String(error) };
        }
        const took = performance.now() - started;
        slowest.set(entry.request.kind, Math.max(slowest.get(entry.request.kind) ?? 0, took));
        total.set(entry.request.kind, (total.get(entry.request.kind) ?? 0) + took);
        const statuses = kinds.get(entry.request.kind) ?? new Map<number, number>();
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        kinds.set(entry.request.kind, statuses);
        const bad = answer.status >= 500 || (entry.valid && answer.status !== 202);
        if (bad && failures.length < 5) {
          failures.push(
            `seed ${SEED}, request ${entry.index} (${entry.request.kind}): ${answer.status} ${answer.body.slice(0, 300)}\n` +
              `  headers ${JSON.stringify(entry.request.headers)} body ${JSON.stringify(entry.request.body.subarray(0, 200).toString('latin1'))}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // What each class was answered, and what it cost: for reading a run, not asserted.
    process.stdout.write(
      `fuzz seed ${SEED}: ${queue.length} requests\n` +
        [...total]
          .map(
            ([kind, ms]) =>
              `${kind}: ${[...(kinds.get(kind) ?? [])].map(([status, n]) => `${status}x${n}`).join(' ')}; ` +
              `total ${Math.round(ms)} ms, slowest ${Math.round(slowest.get(kind) ?? 0)} ms`,
          )
          .join('\n') +
        '\n',
    );
    const summary = [...kinds].map(
      ([kind, statuses]) => `${kind}: ${[...statuses].map(([s, n]) => `${s}x${n}`).join(' ')}`,
    );
    expect(failures).toEqual([]);
    // Resets are tolerated only where the server answered early on purpose (bodies over the limit).
    const resets = [...kinds].filter(([, statuses]) => statuses.has(-1)).map(([kind]) => kind);
    expect(resets.filter((kind) => !/compressed|nesting|lines/.test(kind))).toEqual([]);
    expect(hostile.length).toBeGreaterThanOrEqual(RUNS);

    const [stored] = await rampart.db.query<{ count: string }>(
      'SELECT count(DISTINCT title)::text AS count FROM alert WHERE title = ANY($1)',
      [valid],
    );
    expect({ stored: Number(stored?.count), summary }).toEqual({ stored: valid.length, summary });
    await request(rampart.url).get('/health/ready').expect(200);
    const after = await send(target, validAlert(RUNS + 1, `${tag}-after`).request, rampart.adminKey);
    expect(after).toMatchObject({ status: 202 });
  });
});
