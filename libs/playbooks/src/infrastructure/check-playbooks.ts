import { formatDiagnostic } from '@rampart/diagnostics';

import { compilePlaybookSet, describeTrigger } from '../domain';
import { readPlaybookDirectory } from './read-playbook-directory';

export interface PlaybookCheck {
  /** What to print: each problem as `file:line path: severity code: message`, then a summary. */
  lines: string[];
  errors: number;
  warnings: number;
}

/** `npm run playbooks:check`: loads a playbooks directory as the registry would and reports. */
export async function checkPlaybookDirectory(directory: string): Promise<PlaybookCheck> {
  const read = await readPlaybookDirectory(directory);
  const compiled = compilePlaybookSet(read.sources);
  const diagnostics = [...read.diagnostics, ...compiled.diagnostics];
  const lines = diagnostics.map(formatDiagnostic);
  for (const entry of compiled.playbooks) {
    if (entry.playbook !== null) {
      const state = entry.playbook.enabled ? 'ok' : 'ok (disabled)';
      lines.push(
        `${state.padEnd(13)} ${entry.playbook.id} v${entry.playbook.version}: ${describeTrigger(entry.playbook)}`,
      );
    } else {
      lines.push(`${'INVALID'.padEnd(13)} ${entry.id ?? entry.file}`);
    }
  }
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const valid = compiled.playbooks.filter((entry) => entry.state === 'valid').length;
  lines.push(
    `${valid} of ${compiled.playbooks.length} playbook(s) valid in ${directory}; ${errors} error(s), ${warnings} warning(s)`,
  );
  return { lines, errors, warnings };
}
