/**
 * `npm run bench`, third part: how long a SOC waits from an alert to its containment (issue 6).
 * Rampart (api and engine in one process, as `npm start` runs it) with the shipped playbooks and a
 * PAN-OS firewall fake on loopback; BENCH_PLAYBOOK_INCIDENTS (200) alerts, each opening its own
 * incident that triggers block-malicious-source-ip, sent by 8 concurrent clients. For each, the
 * latency from the alert's webhook request to the fake's registration of the block (the fake's own
 * record). Prints p50/p99/max; no pass/fail threshold lives here.
 */
import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConsoleLogger } from '@nestjs/common';
import { Client } from 'pg';

import { buildSampleAlert } from '@rampart/alerts';
import { AppConfig } from '@rampart/config';
import { PanOsFake } from '@rampart/vendor-fakes';

import { startRampart } from '../apps/api/src/bootstrap';
import { withBenchDatabase } from './bench-database';

const ROOT = path.join(__dirname, '..', '..');
const INCIDENTS = Number(process.env.BENCH_PLAYBOOK_INCIDENTS ?? 200);
const CLIENTS = 8;
const DEADLINE_MS = Number(process.env.BENCH_PHASE_SECONDS ?? 90) * 1000;

/** Where the time goes: medians of each stage's end minus the one before, from the rows' own times. */
async function stageMedians(
  databaseUrl: string,
  sentAt: Map<string, number>,
  panos: PanOsFake,
): Promise<Record<'incident' | 'run' | 'action' | 'vendor', number>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ target: string; incident: Date; run: Date; action: Date }>(
      `SELECT a.target, i.created_at AS incident, r.started_at AS run, a.requested_at AS action
         FROM containment_action a
         JOIN incident i ON i.id = a.incident_id
         JOIN playbook_run r ON r.incident_id = i.id
        WHERE a.operation = 'block_ip' AND a.rollback_of IS NULL`,
    );
    const registered = new Map(panos.registrations.map((registration) => [registration.ip, registration.at]));
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        0.5,
      );
    const at = (row: { target: string }) => sentAt.get(row.target) ?? Number.NaN;
    return {
      incident: median(rows.map((row) => row.incident.getTime() - at(row))),
      run: median(rows.map((row) => row.run.getTime() - row.incident.getTime())),
      action: median(rows.map((row) => row.action.getTime() - row.run.getTime())),
      vendor: median(rows.map((row) => (registered.get(row.target) ?? Number.NaN) - row.action.getTime())),
    };
  } finally {
    await client.end();
  }
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const panos = new PanOsFake();
  await panos.start();
  await withBenchDatabase(async (databaseUrl) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-playbooks-'));
    const key = `rk_bench_${randomBytes(24).toString('base64url')}`;
    const config = AppConfig.fromEnvironment({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      SOAR_DATA_DIR: dataDir,
      SOAR_ADMIN_API_KEY: key,
      SOAR_ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
      SOAR_MASTER_KEY: 'c'.repeat(64),
      SOAR_ROLES: 'api,engine',
      SOAR_EGRESS_ALLOW: '127.0.0.0/8',
      PLAYBOOKS_DIR: path.join(ROOT, 'playbooks'),
      CORRELATION_RULES_DIR: path.join(ROOT, 'rules', 'correlation'),
    });
    const rampart = await startRampart(config, new ConsoleLogger({ logLevels: ['error'] }));
    const url = rampart.url.replace('localhost', '127.0.0.1');
    const headers = { Authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    try {
      const created = await fetch(`${url}/api/v1/connectors`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: 'bench-fw',
          type: 'panos',
          baseUrl: panos.baseUrl,
          credentials: { apiKey: panos.apiKey },
        }),
      });
      if (created.status !== 201)
        throw new Error(`connector not created: ${created.status} ${await created.text()}`);

      const sentAt = new Map<string, number>();
      const sources = Array.from(
        { length: INCIDENTS },
        (_, index) => `198.51.${100 + Math.floor(index / 250)}.${(index % 250) + 1}`,
      );
      let next = 0;
      const client = async () => {
        for (let index = next++; index < INCIDENTS; index = next++) {
          const source = sources[index] as string;
          const body = buildSampleAlert('suricata', {
            id: `latency-${index}`,
            time: new Date(),
            srcIp: source,
            dstIp: `10.88.${Math.floor(index / 250)}.${(index % 250) + 1}`,
            severity: 'high',
            tacticId: 'TA0043',
          });
          sentAt.set(source, Date.now());
          const answer = await fetch(`${url}/api/v1/alerts`, {
            method: 'POST',
            headers,
            body: JSON.stringify(body),
          });
          if (answer.status !== 202)
            throw new Error(`alert refused: ${answer.status} ${await answer.text()}`);
        }
      };
      const started = Date.now();
      await Promise.all(Array.from({ length: CLIENTS }, client));
      while (panos.registrations.length < INCIDENTS && Date.now() - started < DEADLINE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const latencies: number[] = [];
      for (const registration of panos.registrations) {
        const sent = sentAt.get(registration.ip);
        if (sent !== undefined) latencies.push(registration.at - sent);
      }
      latencies.sort((a, b) => a - b);
      const stages = await stageMedians(databaseUrl, sentAt, panos);
      const blocked = new Set(panos.registrations.map((registration) => registration.ip)).size;
      console.log(
        `playbooks: alert received -> block at the firewall fake, over ${blocked} of ${INCIDENTS} incidents ` +
          `(${CLIENTS} clients, shipped block-malicious-source-ip): p50 ${percentile(latencies, 0.5)} ms, ` +
          `p99 ${percentile(latencies, 0.99)} ms, max ${latencies.at(-1) ?? Number.NaN} ms; ` +
          `every block once: ${panos.registrations.length === blocked ? 'yes' : `no (${panos.registrations.length} registrations)`}` +
          (blocked < INCIDENTS ? ` (deadline of ${DEADLINE_MS / 1000} s reached)` : ''),
      );
      console.log(
        `playbooks: medians by stage: alert sent -> incident opened ${stages.incident} ms, -> run started ${stages.run} ms, ` +
          `-> action requested ${stages.action} ms, -> block at the fake ${stages.vendor} ms`,
      );
    } finally {
      await rampart.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
  await panos.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
