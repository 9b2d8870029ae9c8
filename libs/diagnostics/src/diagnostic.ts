/** Errors drop what they point at (a file, an entry, a step); warnings drop nothing. */
export type DiagnosticSeverity = 'error' | 'warning';

/**
 * One problem found while loading a YAML or configuration file: correlation rules, the connectors
 * file, playbooks. The shape is shared so that logs, the CLI and the API print them alike; the
 * codes belong to each context (`Code`).
 */
export interface Diagnostic<Code extends string = string> {
  severity: DiagnosticSeverity;
  code: Code;
  file: string;
  /** 1-based; null when the problem has no place in the text (an unreadable file). */
  line: number | null;
  /** 1-based, when the reporter knows it. */
  column?: number;
  /** Where in the document, e.g. `rules[2].within`; empty for the whole file. */
  path: string;
  /** Names fields and variables, never secret values. */
  message: string;
}

export function hasErrors(diagnostics: readonly Pick<Diagnostic, 'severity'>[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

/**
 * `rules/default.yaml:12 rules[2].within: error invalid_duration: ...` (with `:column` after the
 * line when known), for logs, the CLI and editors that jump to `file:line`.
 */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const column = diagnostic.line !== null && diagnostic.column !== undefined ? `:${diagnostic.column}` : '';
  const place = diagnostic.line === null ? diagnostic.file : `${diagnostic.file}:${diagnostic.line}${column}`;
  const path = diagnostic.path === '' ? '' : ` ${diagnostic.path}`;
  return `${place}${path}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`;
}

/** Diagnostics in line order; findings on one line keep the order they were found in. */
export function sortByLine<T extends { line: number | null }>(diagnostics: T[]): T[] {
  return diagnostics
    .map((diagnostic, index) => ({ diagnostic, index }))
    .sort((a, b) => (a.diagnostic.line ?? 0) - (b.diagnostic.line ?? 0) || a.index - b.index)
    .map(({ diagnostic }) => diagnostic);
}
