import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { PlaybookFilesSnapshot } from '../application/playbook-files';
import { type PlaybookDiagnostic, PlaybookDiagnosticCode, sha256Hex } from '../domain';

const PLAYBOOK_FILE = /\.ya?ml$/i;

/**
 * Every `*.yaml` / `*.yml` file directly in `directory` (fixtures in sub-directories are not
 * playbooks), in file-name order, with the sha256 of its bytes. Never throws: an unreadable
 * directory or file is a diagnostic.
 */
export async function readPlaybookDirectory(directory: string): Promise<PlaybookFilesSnapshot> {
  let names: string[];
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    // Symbolic links count: a Kubernetes ConfigMap mounts each file as a link into `..data/`.
    names = entries
      .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && PLAYBOOK_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (error) {
    return {
      sources: [],
      diagnostics: [
        problem(
          'error',
          PlaybookDiagnosticCode.ReadFailed,
          directory,
          `cannot read the playbooks directory: ${reason(error)}`,
        ),
      ],
    };
  }
  if (names.length === 0) {
    return {
      sources: [],
      diagnostics: [
        problem(
          'warning',
          PlaybookDiagnosticCode.NoPlaybooks,
          directory,
          'no *.yaml or *.yml files in the playbooks directory',
        ),
      ],
    };
  }
  const snapshot: PlaybookFilesSnapshot = { sources: [], diagnostics: [] };
  for (const name of names) {
    const file = join(directory, name);
    try {
      const bytes = await readFile(file);
      snapshot.sources.push({ file, text: bytes.toString('utf8'), hash: sha256Hex(bytes) });
    } catch (error) {
      snapshot.diagnostics.push(
        problem('error', PlaybookDiagnosticCode.ReadFailed, file, `cannot read the file: ${reason(error)}`),
      );
    }
  }
  return snapshot;
}

function problem(
  severity: PlaybookDiagnostic['severity'],
  code: PlaybookDiagnosticCode,
  file: string,
  message: string,
): PlaybookDiagnostic {
  return { severity, code, file, line: null, path: '', message };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
