import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { type ExportVerification, verifyExportLines } from '@rampart/audit';

const USAGE = `usage: npm run audit:verify -- <export.ndjson> [--public-key <base64 | file>] [--json]

Checks an exported audit trail offline (no database): every entry's SHA-256 over its RFC 8785
canonical JSON, every link to the entry before, and the Ed25519-signed checkpoint over the last
entry. --public-key pins the signer (GET /api/v1/audit/public-key); without it the key inside the
export is used, which proves the export is intact but not who signed it.
Exit status: 0 valid, 1 broken or tampered, 2 usage or unreadable file.`;

/** The offline verifier behind `npm run audit:verify`; returns the exit status. */
export async function auditVerify(args: string[], print: (line: string) => void): Promise<number> {
  const files: string[] = [];
  let publicKey: string | undefined;
  let json = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--json') json = true;
    else if (arg === '--public-key') publicKey = readKey(args[(index += 1)]);
    else if (arg === '--help' || arg === '-h') return usage(print, 0);
    else files.push(arg);
  }
  if (files.length !== 1 || (publicKey !== undefined && publicKey === '')) return usage(print, 2);
  const file = files[0] as string;
  let lines: string[];
  try {
    lines = await readLines(file);
  } catch (error) {
    print(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const result = verifyExportLines(lines, publicKey);
  print(json ? JSON.stringify(result, null, 2) : describe(file, result, publicKey !== undefined));
  return result.valid ? 0 : 1;
}

function describe(file: string, result: ExportVerification, pinned: boolean): string {
  const range =
    result.firstSeq === undefined ? 'no entries' : `entries ${result.firstSeq}..${result.lastSeq}`;
  const lines = [`${file}: ${result.valid ? 'VALID' : 'INVALID'} (${range})`, `  ${result.message}`];
  if (result.firstBrokenSeq !== undefined)
    lines.push(`  first broken entry: ${result.firstBrokenSeq} (${result.reason})`);
  if (result.checkpoint) {
    lines.push(
      `  checkpoint: entry ${result.checkpoint.seq}, key ${result.checkpoint.keyId}, signature ${result.checkpoint.signatureValid ? 'valid' : 'INVALID'}${pinned ? ' (pinned key)' : ' (key from the export)'}`,
    );
  }
  if (result.valid && !result.fromGenesis) {
    lines.push(
      "  the export starts after the first entry: it is anchored on its first entry's previous hash",
    );
  }
  return lines.join('\n');
}

function readKey(value: string | undefined): string {
  if (value === undefined) return '';
  if (/^[A-Za-z0-9+/]{43}=$/.test(value)) return value;
  try {
    const text = readFileSync(value, 'utf8').trim();
    const parsed = text.startsWith('{') ? (JSON.parse(text) as { publicKey?: unknown }).publicKey : text;
    return typeof parsed === 'string' ? parsed : '';
  } catch {
    return '';
  }
}

async function readLines(file: string): Promise<string[]> {
  const lines: string[] = [];
  const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of reader) lines.push(line);
  return lines;
}

function usage(print: (line: string) => void, status: number): number {
  print(USAGE);
  return status;
}

if (require.main === module) {
  auditVerify(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
    (status) => process.exit(status),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(2);
    },
  );
}
