#!/usr/bin/env node
// `npm run demo`: sends a realistic burst of mixed-format SIEM alerts to a running Rampart (npm start)
// and prints the incidents they became. Uses the built code in dist/ (npm start builds it).
'use strict';

const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
if (!existsSync(path.join(root, 'dist', 'libs', 'alerts', 'src', 'index.js'))) {
  console.error(
    'dist/ is missing: start the platform first with `npm start` (it builds), or run `npm run build`.',
  );
  process.exit(1);
}
require('./register-paths');
const { buildSampleAlert } = require('@rampart/alerts');

const { adminApiKey, rampartUrl } = require('./rampart-target');

const baseUrl = rampartUrl();
const apiKey = readApiKey();
const BATCH = 25;

function readApiKey() {
  try {
    return adminApiKey();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}

/** A small intrusion story, told by six different tools, plus background noise. */
function scenario(now) {
  const run = now.toString(36);
  const minutesAgo = (minutes) => new Date(now - minutes * 60_000);
  const alerts = [];
  const add = (format, spec) =>
    alerts.push(buildSampleAlert(format, { ...spec, id: `demo-${run}-${alerts.length}` }));

  // 1. Password spraying against the VPN portal: Wazuh sees the failures, user jdoe.
  for (let i = 0; i < 12; i += 1) {
    add('wazuh', {
      time: minutesAgo(55 - i),
      host: 'vpn-gw-01',
      srcIp: '185.220.101.34',
      user: 'jdoe',
      severity: 'medium',
      tacticId: 'TA0006',
      title: 'sshd: authentication failure',
    });
  }
  // 2. Initial access then execution on a web server (Elastic), tied by host to a C2 beacon (Suricata).
  add('elastic', {
    time: minutesAgo(40),
    host: 'web-01',
    srcIp: '185.220.101.34',
    severity: 'high',
    tacticId: 'TA0001',
    title: 'Exploit Public-Facing Application',
  });
  add('elastic', {
    time: minutesAgo(38),
    host: 'web-01',
    user: 'www-data',
    severity: 'high',
    tacticId: 'TA0002',
    title: 'Suspicious shell spawned by web server',
  });
  for (let i = 0; i < 8; i += 1) {
    add('suricata', {
      time: minutesAgo(36 - i),
      host: 'web-01',
      srcIp: '10.20.0.15',
      dstIp: '45.137.21.9',
      severity: 'high',
      tacticId: 'TA0011',
      title: 'ET MALWARE Cobalt Strike Beacon Observed',
    });
  }
  // 3. Internal scan from one address across many hosts (CEF from the firewall).
  for (let i = 0; i < 6; i += 1) {
    add('cef', {
      time: minutesAgo(30 - i),
      host: `srv-${10 + i}`,
      srcIp: '10.20.0.15',
      dstIp: `10.20.1.${10 + i}`,
      severity: 'medium',
      tacticId: 'TA0007',
      title: 'Port scan detected',
    });
  }
  // 4. Cloud: GuardDuty (OCSF) and a Splunk notable about data leaving the database server.
  add('ocsf', {
    time: minutesAgo(20),
    host: 'db-02',
    srcIp: '52.94.133.131',
    severity: 'low',
    tacticId: 'TA0005',
    title: 'CloudTrail logging disabled',
  });
  add('splunk', {
    time: minutesAgo(18),
    host: 'db-02',
    user: 'svc_backup',
    severity: 'critical',
    tacticId: 'TA0010',
    title: 'Large outbound transfer from database server',
  });
  // Background noise: unrelated low-severity alerts on other hosts.
  const formats = ['elastic', 'wazuh', 'suricata', 'splunk', 'cef', 'ocsf'];
  for (let i = 0; i < 40; i += 1) {
    add(formats[i % formats.length], {
      time: minutesAgo(50 - i),
      host: `ws-${100 + (i % 15)}`,
      severity: i % 7 === 0 ? 'medium' : 'low',
      title: 'Potentially unwanted application',
    });
  }
  return alerts;
}

async function call(method, route, body) {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (response.status >= 400 && response.status !== 422) {
    throw new Error(`${method} ${route}: ${response.status} ${json.code || ''} ${json.message || text}`);
  }
  return json;
}

async function main() {
  try {
    await call('GET', '/health/ready');
  } catch (error) {
    console.error(
      `Rampart does not answer at ${baseUrl} (${error.cause?.code || error.message}). Start it with \`npm start\`.`,
    );
    process.exit(1);
  }
  const alerts = scenario(Date.now());
  const totals = { accepted: 0, duplicate: 0, rejected: 0 };
  for (let sent = 0; sent < alerts.length; sent += BATCH) {
    const result = await call('POST', '/api/v1/alerts', alerts.slice(sent, sent + BATCH));
    for (const key of Object.keys(totals)) totals[key] += result[key] || 0;
    const done = Math.min(sent + BATCH, alerts.length);
    process.stdout.write(
      `\rsent ${done}/${alerts.length} alerts: ${totals.accepted} accepted, ${totals.duplicate} duplicate, ${totals.rejected} rejected`,
    );
  }
  process.stdout.write('\n\n');
  const { items } = await call('GET', '/api/v1/incidents?limit=20');
  console.log('Open incidents (newest first):');
  for (const incident of items) {
    console.log(
      `  #${String(incident.number).padEnd(5)} ${incident.severity.padEnd(13)} ${String(incident.alertCount).padStart(4)} alerts  ${incident.title}`,
    );
  }
  console.log(`\nDetails: curl -H "Authorization: Bearer <key>" ${baseUrl}/api/v1/incidents/<id>`);
}

main().catch((error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});
