#!/usr/bin/env node
// `npm run fakes`: starts a local fake of every vendor API (fake credentials, loopback only) and
// prints where each listens. `--register[=URL]` also creates or updates a connector instance for
// each in the running Rampart (npm start). `--base-port=N` moves the fakes from 18001-18007.
// Uses the built code in dist/ (the npm script builds it first).
'use strict';

require('./register-paths');
const { FAKES_EGRESS_ALLOW, registerFakeConnectors, startAllFakes } = require('@rampart/vendor-fakes');

const { adminApiKey, rampartUrl } = require('./rampart-target');
const option = (name) => {
  const argument = process.argv.slice(2).find((value) => value === name || value.startsWith(`${name}=`));
  if (argument === undefined) return undefined;
  return argument.includes('=') ? argument.slice(argument.indexOf('=') + 1) : '';
};

async function main() {
  const registerOption = option('--register');
  const target =
    registerOption === undefined ? undefined : { url: rampartUrl(registerOption), adminKey: adminApiKey() };
  const basePort = Number(option('--base-port'));
  const { fakes, stop } = await startAllFakes(
    Number.isInteger(basePort) && basePort >= 0 ? { basePort } : {},
  );
  const lines = [
    'Rampart vendor fakes (fake credentials, loopback only):',
    `  Rampart refuses loopback destinations unless allowed: start it with SOAR_EGRESS_ALLOW=${FAKES_EGRESS_ALLOW.join(',')}`,
    '',
  ];
  for (const fake of fakes) {
    lines.push(`  ${fake.vendor.padEnd(34)} ${fake.baseUrl}   [${fake.types.join(', ')}]`);
    for (const [key, value] of Object.entries(fake.notes)) lines.push(`      ${key}: ${value}`);
  }
  if (target) {
    let registrations;
    try {
      registrations = await registerFakeConnectors(fakes, target);
    } catch (failure) {
      await stop();
      const cause = failure.cause && failure.cause.message ? ` (${failure.cause.message})` : '';
      throw new Error(`registering with Rampart at ${target.url} failed: ${failure.message}${cause}`);
    }
    lines.push('', `Connector instances in Rampart at ${target.url}:`);
    for (const { name, result } of registrations) lines.push(`  ${name.padEnd(20)} ${result}`);
    lines.push(
      '',
      'Try, with KEY the admin API key:',
      `  curl -s -X POST ${target.url}/api/v1/connectors/fake-panos/check -H "Authorization: Bearer $KEY"`,
      `  curl -s ${target.url}/api/v1/actions -H "Authorization: Bearer $KEY" -H 'content-type: application/json' \\`,
      `    -d '{"connector":"fake-panos","operation":"block_ip","target":"203.0.113.9","expiresInSeconds":300}'`,
    );
  }
  lines.push('', 'Ctrl-C stops them.');
  process.stdout.write(`${lines.join('\n')}\n`);
  const shutdown = () => void stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((failure) => {
  process.stderr.write(`fakes: ${failure instanceof Error ? failure.message : String(failure)}\n`);
  process.exit(1);
});
