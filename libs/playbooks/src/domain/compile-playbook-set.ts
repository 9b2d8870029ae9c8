import { sortByLine } from '@rampart/diagnostics';

import {
  type CompiledPlaybookFile,
  compilePlaybook,
  type PlaybookLocation,
  type PlaybookSource,
} from './compile-playbook';
import { allSteps, type Playbook } from './playbook';
import { type PlaybookDiagnostic, PlaybookDiagnosticCode } from './playbook-diagnostic';

/** One file of a loaded set: valid playbooks run, invalid ones are listed with their problems. */
export interface LoadedPlaybook extends CompiledPlaybookFile {
  state: 'valid' | 'invalid';
}

export interface CompiledPlaybookSet {
  playbooks: LoadedPlaybook[];
  /** Every problem, file by file (and problems with no file, such as an empty directory). */
  diagnostics: PlaybookDiagnostic[];
}

/**
 * Read -> compile -> resolve: compiles each file on its own, then resolves across the set. Ids
 * are unique (the first file, in the order given, keeps its id); a called sub-playbook must be
 * loaded and valid, and calls must not loop. A problem makes only its own playbook invalid (and
 * the playbooks that call it), never the others.
 *
 * `others` are valid playbooks loaded already, which calls may name too (validating one file
 * against the running set).
 */
export function compilePlaybookSet(
  sources: readonly PlaybookSource[],
  others: readonly Playbook[] = [],
): CompiledPlaybookSet {
  const files = sources.map(compilePlaybook);
  const firstById = new Map<string, CompiledPlaybookFile>();
  for (const file of files) {
    if (file.id === null) continue;
    const first = firstById.get(file.id);
    if (first === undefined) {
      firstById.set(file.id, file);
      continue;
    }
    const where = first.idAt?.line ? `${first.file}:${first.idAt.line}` : first.file;
    file.diagnostics.push(
      at(
        file,
        file.idAt,
        PlaybookDiagnosticCode.DuplicateId,
        `playbook id "${file.id}" is already defined at ${where}; this file is skipped`,
      ),
    );
    file.playbook = null;
  }

  // Valid ids: this set first, then the running set for what this set does not define.
  const valid = new Map<string, { calls: string[]; file: CompiledPlaybookFile | null }>();
  for (const other of others) {
    if (!firstById.has(other.id)) valid.set(other.id, { calls: callsOf(other.steps), file: null });
  }
  for (const file of files) {
    if (file.playbook !== null)
      valid.set(file.playbook.id, { calls: file.calls.map((call) => call.playbook), file });
  }
  const invalidate = (file: CompiledPlaybookFile, diagnostic: PlaybookDiagnostic) => {
    file.diagnostics.push(diagnostic);
    file.playbook = null;
    if (file.id !== null && valid.get(file.id)?.file === file) valid.delete(file.id);
  };

  for (;;) {
    let changed = false;
    for (const file of files) {
      if (file.playbook === null) continue;
      for (const call of file.calls) {
        if (valid.has(call.playbook)) continue;
        const exists = firstById.has(call.playbook);
        invalidate(
          file,
          at(
            file,
            call.at,
            PlaybookDiagnosticCode.UnknownPlaybook,
            exists
              ? `playbook "${call.playbook}" has errors, so it cannot be called`
              : `no playbook "${call.playbook}" is loaded`,
          ),
        );
        changed = true;
        break;
      }
    }
    for (const cycle of findCycles(valid)) {
      for (const id of cycle) {
        const file = valid.get(id)?.file;
        if (!file) continue;
        const next = cycle[(cycle.indexOf(id) + 1) % cycle.length] as string;
        const call = file.calls.find((each) => each.playbook === next);
        invalidate(
          file,
          at(
            file,
            call?.at ?? file.idAt,
            PlaybookDiagnosticCode.PlaybookCycle,
            `calling "${next}" loops back: ${[...rotate(cycle, id), id].join(' -> ')}`,
          ),
        );
        changed = true;
      }
    }
    if (!changed) break;
  }

  const playbooks = files.map((file) => ({
    ...file,
    diagnostics: sortByLine(file.diagnostics),
    state: file.playbook === null ? ('invalid' as const) : ('valid' as const),
  }));
  return { playbooks, diagnostics: playbooks.flatMap((playbook) => playbook.diagnostics) };
}

function callsOf(steps: Playbook['steps']): string[] {
  return allSteps(steps).flatMap((step) => (step.kind === 'playbook' ? [step.playbook] : []));
}

function at(
  file: CompiledPlaybookFile,
  location: PlaybookLocation | null,
  code: PlaybookDiagnosticCode,
  message: string,
): PlaybookDiagnostic {
  return {
    severity: 'error',
    code,
    file: file.file,
    line: location?.line ?? null,
    ...(location?.column !== undefined ? { column: location.column } : {}),
    path: location?.path ?? '',
    message,
  };
}

/** Each cycle once, as the ids along it (a self-call is a cycle of one). */
function findCycles(graph: ReadonlyMap<string, { calls: string[] }>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of graph.get(id)?.calls ?? []) {
      if (!graph.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'open') cycles.push(stack.slice(stack.indexOf(next)));
      else if (seen === undefined) visit(next);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of [...graph.keys()].sort()) if (!state.has(id)) visit(id);
  return cycles;
}

function rotate(cycle: string[], first: string): string[] {
  const index = cycle.indexOf(first);
  return [...cycle.slice(index), ...cycle.slice(0, index)];
}
