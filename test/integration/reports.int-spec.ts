import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { addApiKey, bearer } from '../support/connector-support';
import { startTestRampart, type TestRampart } from '../support/rampart-app';

// Reports over a seeded dataset whose expected figures this file computes on its own: counts,
// means and percentiles of the lifecycle phases, SLA breaches; the PDF read back with pdftotext;
// CSV cells that a spreadsheet would run as formulas neutralized; HTML escaped.
const AUDITOR_KEY = 'rk_reports_auditor_key_00000000000000';
const MINUTE = 60_000;
const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
// SLAs for this test (minutes), per severity.
const SLA = {
  acknowledge: { critical: 10, high: 30, medium: 60, low: 120, informational: 240 },
  contain: { critical: 60, high: 120 },
  resolve: { critical: 600, high: 1200, medium: 2400 },
};
const env = {
  SLA_ACKNOWLEDGE: Object.entries(SLA.acknowledge)
    .map(([s, m]) => `${s}=${m}m`)
    .join(','),
  SLA_CONTAIN: Object.entries(SLA.contain)
    .map(([s, m]) => `${s}=${m}m`)
    .join(','),
  SLA_RESOLVE: Object.entries(SLA.resolve)
    .map(([s, m]) => `${s}=${m}m`)
    .join(','),
};

interface Seeded {
  severity: (typeof SEVERITIES)[number];
  created: number;
  detectMin: number;
  ackMin: number | null;
  containMin: number | null;
  resolveMin: number | null;
  sources: string[];
  tactics: string[];
}

// The period: ten days ago, for two days (over, so "as of" is its end).
const periodStart = Math.floor((Date.now() - 10 * 86_400_000) / 3_600_000) * 3_600_000;
const periodEnd = periodStart + 2 * 86_400_000;

const incidents: Seeded[] = Array.from({ length: 9 }, (_, i) => ({
  severity: SEVERITIES[i % 5] as Seeded['severity'],
  created: periodStart + (i + 1) * 3_600_000,
  detectMin: (i + 1) * 4,
  ackMin: i === 8 ? null : 5 + i * 9,
  containMin: i % 3 === 0 ? 30 + i * 20 : null,
  resolveMin: i % 2 === 0 ? 200 + i * 150 : null,
  sources: i % 4 === 0 ? ['wazuh', 'suricata'] : ['wazuh'],
  tactics: i % 3 === 1 ? ['Initial Access'] : i % 3 === 2 ? ['Execution', 'Persistence'] : [],
}));

let rampart: TestRampart;
let workDir: string;

beforeAll(async () => {
  rampart = await startTestRampart(env);
  await addApiKey(rampart, 'auditor', AUDITOR_KEY);
  workDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-reports-'));
  await seed();
});

afterAll(async () => {
  await rampart?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

async function seed(): Promise<void> {
  const at = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  let alertNumber = 0;
  const insertIncident = async (seeded: Seeded, title: string, status = 'new') => {
    const [row] = await rampart.db.query<{ id: string }>(
      `INSERT INTO incident (title, status, severity_id, first_seen, last_seen, created_at, acknowledged_at,
                             contained_at, resolved_at)
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8) RETURNING id::text`,
      [
        title,
        status,
        SEVERITIES.indexOf(seeded.severity) + 1,
        at(seeded.created - seeded.detectMin * MINUTE),
        at(seeded.created),
        at(seeded.ackMin === null ? null : seeded.created + seeded.ackMin * MINUTE),
        at(seeded.containMin === null ? null : seeded.created + seeded.containMin * MINUTE),
        at(seeded.resolveMin === null ? null : seeded.created + seeded.resolveMin * MINUTE),
      ],
    );
    for (const source of seeded.sources) {
      alertNumber += 1;
      const [alert] = await rampart.db.query<{ id: string }>(
        `INSERT INTO alert (identity, format, source, title, severity_id, tactics, raw, event_time, intake)
         VALUES ($1, 'ecs', $2, 'seeded', 3, $3::jsonb, '{}', $4, 'webhook') RETURNING id::text`,
        [
          `seed-${alertNumber}`,
          source,
          JSON.stringify(seeded.tactics.map((name) => ({ id: null, name }))),
          at(seeded.created),
        ],
      );
      await rampart.db.query(`INSERT INTO incident_alert (alert_id, incident_id) VALUES ($1, $2)`, [
        alert?.id,
        row?.id,
      ]);
    }
    return row?.id as string;
  };
  for (const [index, seeded] of incidents.entries()) {
    await insertIncident(
      seeded,
      index === 4 ? '<script>alert(1)</script> on web-01' : `Seeded incident ${index}`,
    );
  }
  // Outside the period, and merged: not counted.
  await insertIncident({ ...(incidents[0] as Seeded), created: periodEnd + 3_600_000 }, 'after the period');
  await insertIncident(
    { ...(incidents[1] as Seeded), created: periodStart + 7_200_000 },
    'merged one',
    'merged',
  );
  // Containment actions, two with values a spreadsheet would run.
  const action = (target: string, requestedBy: string, minutes: number, state = 'succeeded') =>
    rampart.db.query(
      `INSERT INTO containment_action (connector_name, capability, operation, target, idempotency_key, requested_by,
                                       requested_at, state, outcome, expires_at)
       VALUES ('fw', 'firewall', 'block_ip', $1, $2, $3, $4, $5, 'changed', $6)`,
      [
        target,
        `seed-${target}-${minutes}`,
        requestedBy,
        at(periodStart + minutes * MINUTE),
        state,
        at(periodStart + (minutes + 60) * MINUTE),
      ],
    );
  await action('203.0.113.7', 'analyst-1', 30);
  await action('=HYPERLINK("http://evil.example","x")', '+sum(A1)', 45, 'failed');
  await action('198.51.100.9', '\tleading-tab', 50);
  await action('192.0.2.1', 'analyst-1', 3 * 24 * 60); // after the period
}

const period = { from: new Date(periodStart).toISOString(), to: new Date(periodEnd).toISOString() };

async function generate(kind: string, format: string): Promise<{ id: string; body: Buffer }> {
  const created = await request(rampart.url)
    .post('/api/v1/reports')
    .set(bearer(AUDITOR_KEY))
    .send({ kind, format, ...period })
    .expect(201);
  const download = await request(rampart.url)
    .get(`/api/v1/reports/${created.body.id}/download`)
    .set(bearer(AUDITOR_KEY))
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    })
    .expect(200);
  return { id: created.body.id as string, body: download.body as Buffer };
}

/** Linear interpolation between closest ranks, written independently of the library's. */
function expectedPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const below = sorted[Math.floor(position)] as number;
  const above = sorted[Math.ceil(position)] as number;
  return Math.round(below + (above - below) * (position % 1));
}

function expectedStats(minutes: (number | null)[]) {
  const values = minutes.filter((m): m is number => m !== null).map((m) => m * MINUTE);
  return {
    count: values.length,
    meanMs: Math.round(values.reduce((a, b) => a + b, 0) / values.length),
    p50Ms: expectedPercentile(values, 0.5),
    p90Ms: expectedPercentile(values, 0.9),
  };
}

function expectedBreaches(): number {
  let breaches = 0;
  for (const incident of incidents) {
    const phases = {
      acknowledge: incident.ackMin,
      contain: incident.containMin,
      resolve: incident.resolveMin,
    };
    for (const [phase, reached] of Object.entries(phases)) {
      const sla = (SLA as Record<string, Record<string, number>>)[phase]?.[incident.severity];
      if (sla === undefined) continue;
      const took = reached ?? (periodEnd - incident.created) / MINUTE;
      if (took > sla) breaches += 1;
    }
  }
  return breaches;
}

describe('incident handling metrics (NIST SP 800-61)', () => {
  it('gives the counts, phase times and SLA breaches the seeded dataset implies (JSON)', async () => {
    const { body } = await generate('incident_metrics', 'json');
    const report = JSON.parse(body.toString('utf8'));
    const metrics = report.data.metrics;
    expect(metrics.incidents).toBe(incidents.length);
    for (const severity of SEVERITIES) {
      expect(metrics.bySeverity[severity]).toBe(incidents.filter((i) => i.severity === severity).length);
    }
    expect(metrics.bySource).toEqual(
      expect.arrayContaining([
        { source: 'wazuh', incidents: incidents.length },
        { source: 'suricata', incidents: incidents.filter((i) => i.sources.includes('suricata')).length },
      ]),
    );
    expect(metrics.byCategory).toEqual(
      expect.arrayContaining([
        {
          category: 'Initial Access',
          incidents: incidents.filter((i) => i.tactics.includes('Initial Access')).length,
        },
        { category: 'uncategorized', incidents: incidents.filter((i) => i.tactics.length === 0).length },
      ]),
    );
    expect(metrics.timeTo.detect).toMatchObject(expectedStats(incidents.map((i) => i.detectMin)));
    expect(metrics.timeTo.acknowledge).toMatchObject(expectedStats(incidents.map((i) => i.ackMin)));
    expect(metrics.timeTo.contain).toMatchObject(expectedStats(incidents.map((i) => i.containMin)));
    expect(metrics.timeTo.resolve).toMatchObject(expectedStats(incidents.map((i) => i.resolveMin)));
    expect(metrics.slaBreaches).toHaveLength(expectedBreaches());
    expect(report.checkpoint).toMatchObject({ keyId: expect.any(String), signature: expect.any(String) });
  });

  it('reads back from the PDF with pdftotext', async () => {
    const found = spawnSync('pdftotext', ['-v']);
    if (found.error) {
      throw new Error(
        'pdftotext is missing: install poppler-utils (apt-get install -y poppler-utils), as .ci/run does',
      );
    }
    const { body } = await generate('incident_metrics', 'pdf');
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const file = path.join(workDir, 'metrics.pdf');
    writeFileSync(file, body);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Incident handling metrics (NIST SP 800-61)');
    expect(text).toContain(`${incidents.length} incidents were opened in the period`);
    expect(text).toContain('Time to detect, acknowledge, contain and resolve');
    expect(text).toContain('<script>alert(1)</script> on web-01');
    expect(text).toContain('Signed audit checkpoint');
  });

  it('escapes data in HTML and draws its charts as inline SVG', async () => {
    const html = (await generate('incident_metrics', 'html')).body.toString('utf8');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; on web-01');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toContain(`${incidents.length} incidents were opened in the period`);
  });
});

describe('containment actions register', () => {
  it('lists the period’s actions and neutralizes spreadsheet formulas in CSV', async () => {
    const csv = (await generate('containment_register', 'csv')).body.toString('utf8');
    expect(csv).toContain('203.0.113.7');
    expect(csv).not.toContain('192.0.2.1');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toContain("'+sum(A1)");
    expect(csv).toContain(",'\tleading-tab,");
    for (const line of csv.split('\r\n')) {
      for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    const json = JSON.parse((await generate('containment_register', 'json')).body.toString('utf8'));
    expect(json.data).toMatchObject({ actions: 3, byState: { succeeded: 2, failed: 1 } });
  });
});

describe('audit integrity attestation and access review', () => {
  it('attests the verified chain with its checkpoint, and lists every API key', async () => {
    const integrity = JSON.parse((await generate('audit_integrity', 'json')).body.toString('utf8'));
    expect(integrity.data.verification).toMatchObject({ valid: true });
    expect(integrity.summary[0]).toContain('verified intact');
    const access = JSON.parse((await generate('access_review', 'json')).body.toString('utf8'));
    expect(access.data.principals.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['SOAR_ADMIN_API_KEY', 'auditor key']),
    );
  });

  it('refuses a format the kind is not made in, and a period that ends before it starts', async () => {
    const refused = await request(rampart.url)
      .post('/api/v1/reports')
      .set(bearer(AUDITOR_KEY))
      .send({ kind: 'audit_trail', format: 'pdf', ...period })
      .expect(400);
    expect(refused.body).toMatchObject({ code: 'invalid_request', field: 'body.format' });
    await request(rampart.url)
      .post('/api/v1/reports')
      .set(bearer(AUDITOR_KEY))
      .send({ kind: 'access_review', format: 'json', from: period.to, to: period.from })
      .expect(400);
  });

  it('lists the reports it generated, each audited once', async () => {
    const list = await request(rampart.url).get('/api/v1/reports').set(bearer(AUDITOR_KEY)).expect(200);
    const audited = await request(rampart.url)
      .get('/api/v1/audit')
      .query({ action: 'report.generated', limit: 500 })
      .set(bearer(AUDITOR_KEY))
      .expect(200);
    expect(audited.body.items.length).toBe(list.body.items.length);
    expect(audited.body.items[0].actor).toMatchObject({ kind: 'api_key', name: 'auditor key' });
  });
});
