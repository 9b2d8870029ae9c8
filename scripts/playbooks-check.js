#!/usr/bin/env node
// `npm run playbooks:check [-- <directory>]`: loads the playbooks as Rampart would (directory
// argument, else PLAYBOOKS_DIR, else ./playbooks) and prints every problem as
// `file:line path: severity code: message`. Exits 1 on any error, so CI can gate on it.
// `--schema` instead writes docs/playbook.schema.json from the schema the loader validates with.
// Uses the built code in dist/ (the npm script builds it first).
'use strict';

require('./register-paths');
const { writeFileSync } = require('node:fs');
const path = require('node:path');
const { checkPlaybookDirectory, playbookJsonSchema } = require('@rampart/playbooks');

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--schema')) {
    const file = path.join(__dirname, '..', 'docs', 'playbook.schema.json');
    writeFileSync(file, `${JSON.stringify(playbookJsonSchema(), null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
    return 0;
  }
  const directory = args.find((arg) => !arg.startsWith('--')) ?? process.env.PLAYBOOKS_DIR ?? './playbooks';
  const check = await checkPlaybookDirectory(directory);
  for (const line of check.lines) console.log(line);
  return check.errors > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 2;
  },
);
