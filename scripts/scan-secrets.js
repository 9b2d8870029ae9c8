#!/usr/bin/env node
// Looks for the vendor fakes' default credentials (the ones the contract tests use) in a log of a
// whole test run: `node scripts/scan-secrets.js <log file>`. Exit 1 when one is found, in clear or
// in base64. .ci/run runs it over the output of `npm test` (after the build, which pretest does).
'use strict';

const { readFileSync } = require('node:fs');

require('./register-paths');
const fakes = require('@rampart/vendor-fakes');

const SECRET_FIELDS = ['password', 'apiKey', 'apiToken', 'clientSecret', 'bearerToken'];

function defaultSecrets() {
  const values = new Set();
  for (const Fake of [
    fakes.PanOsFake,
    fakes.FortiGateFake,
    fakes.CrowdStrikeFake,
    fakes.MdeFake,
    fakes.OktaFake,
  ]) {
    const fake = new Fake();
    for (const field of SECRET_FIELDS) {
      if (typeof fake[field] === 'string' && fake[field].length >= 8) values.add(fake[field]);
    }
  }
  return [...values];
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/scan-secrets.js <log file>');
  process.exit(2);
}
const log = readFileSync(file, 'utf8');
const secrets = defaultSecrets();
const found = secrets.filter(
  (secret) => log.includes(secret) || log.includes(Buffer.from(secret).toString('base64')),
);
if (found.length > 0) {
  console.error(`secret scan: ${found.length} credential value(s) appear in ${file}:`);
  for (const secret of found) console.error(`  ${secret.slice(0, 4)}... (${secret.length} characters)`);
  process.exit(1);
}
console.log(
  `secret scan: none of ${secrets.length} fake credential values appears in ${file} (${log.length} characters)`,
);
