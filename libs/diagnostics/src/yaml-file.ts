import { type Document, LineCounter, parseDocument } from 'yaml';

import type { Diagnostic, DiagnosticSeverity } from './diagnostic';
import { formatYamlPath, type PathSegment, positionInYaml } from './yaml-locations';

/** A parsed YAML file, kept to place diagnostics on its lines. */
export interface YamlFile {
  file: string;
  document: Document;
  lineCounter: LineCounter;
}

/** A problem found in the parsed value, before it has a place in the text. */
export interface YamlFinding<Code extends string> {
  severity: DiagnosticSeverity;
  code: Code;
  path: readonly PathSegment[];
  message: string;
  /** Point at the key rather than its value: for fields that should not be there. */
  atKey?: boolean;
}

export type ParsedYamlFile<Code extends string> =
  /** `diagnostics` holds YAML warnings, if any. */
  | { ok: true; yaml: YamlFile; data: unknown; diagnostics: Diagnostic<Code>[] }
  /** The text is not YAML that can be trusted: nothing in it should load. */
  | { ok: false; diagnostics: Diagnostic<Code>[] };

/**
 * Parses one YAML file into plain data. Syntax errors (also duplicate keys, and unresolved or
 * runaway aliases, which only surface on conversion) come back as `syntaxCode` diagnostics with
 * their line, never as exceptions.
 */
export function parseYamlFile<Code extends string>(
  text: string,
  file: string,
  syntaxCode: Code,
): ParsedYamlFile<Code> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const problem = (severity: DiagnosticSeverity, error: { message: string; pos: [number, number] }) => ({
    severity,
    code: syntaxCode,
    file,
    line: lineCounter.linePos(error.pos[0]).line,
    path: '',
    message: error.message,
  });
  const diagnostics: Diagnostic<Code>[] = document.warnings.map((warning) => problem('warning', warning));
  if (document.errors.length > 0) {
    diagnostics.push(...document.errors.map((error) => problem('error', error)));
    return { ok: false, diagnostics };
  }
  try {
    return { ok: true, yaml: { file, document, lineCounter }, data: document.toJS(), diagnostics };
  } catch (thrown) {
    diagnostics.push({
      severity: 'error',
      code: syntaxCode,
      file,
      line: null,
      path: '',
      message: thrown instanceof Error ? thrown.message : String(thrown),
    });
    return { ok: false, diagnostics };
  }
}

/**
 * Places a finding in the file: the line (and, with `column`, the column) of the node at its path,
 * or of the nearest enclosing node that exists.
 */
export function diagnosticInYaml<Code extends string>(
  yaml: YamlFile,
  finding: YamlFinding<Code>,
  options: { column?: boolean } = {},
): Diagnostic<Code> {
  const position = positionInYaml(yaml.document, yaml.lineCounter, finding.path, finding.atKey ?? false);
  return {
    severity: finding.severity,
    code: finding.code,
    file: yaml.file,
    line: position?.line ?? null,
    ...(options.column === true && position !== null ? { column: position.column } : {}),
    path: formatYamlPath(finding.path),
    message: finding.message,
  };
}
