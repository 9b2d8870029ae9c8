import { z } from 'zod';

import {
  type Diagnostic,
  diagnosticInYaml,
  fieldIssues,
  locateInYaml,
  parseYamlFile,
  type PathSegment,
  sortByLine,
  valueAtPath,
} from '@rampart/diagnostics';

import { CAPABILITIES } from '../domain/capability';
import { CONNECTOR_NAME_PATTERN, CONNECTOR_TYPES } from '../domain/connector-instance';
import { ConnectorDefinition, instanceIssues, toInstance } from './connector-definition';

/** Why an entry of the connectors file did not load as written. */
export const ConnectorsFileDiagnosticCode = {
  ReadFailed: 'read_failed',
  YamlSyntax: 'yaml_syntax',
  InvalidStructure: 'invalid_structure',
  MissingField: 'missing_field',
  UnknownField: 'unknown_field',
  InvalidField: 'invalid_field',
  UnsetVariable: 'unset_variable',
  LiteralSecret: 'literal_secret',
  DuplicateName: 'duplicate_name',
  NoConnectors: 'no_connectors',
} as const;
export type ConnectorsFileDiagnosticCode =
  (typeof ConnectorsFileDiagnosticCode)[keyof typeof ConnectorsFileDiagnosticCode];

/**
 * One problem in the connectors file. Errors skip the entry they point at; warnings skip nothing.
 * Messages name fields and variables, never their values.
 */
export type ConnectorsFileDiagnostic = Diagnostic<ConnectorsFileDiagnosticCode>;

export interface CompiledConnectorsFile {
  definitions: ConnectorDefinition[];
  diagnostics: ConnectorsFileDiagnostic[];
}

const entrySchema = z.strictObject({
  name: z
    .string()
    .regex(CONNECTOR_NAME_PATTERN, 'must be 1-63 letters, digits, . _ - starting with a letter or digit'),
  type: z.enum(CONNECTOR_TYPES),
  capability: z.enum(CAPABILITIES).optional(),
  baseUrl: z.string().min(1),
  credentials: z.record(z.string(), z.string()).default({}),
  options: z.record(z.string(), z.unknown()).default({}),
});

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

// Credential fields that name an account rather than prove it: written in the file, no warning.
const IDENTIFIER_FIELDS: ReadonlySet<string> = new Set(['username', 'clientId', 'tenantId']);

/**
 * Compiles the connectors file: YAML `connectors:` list -> instance definitions, with `${NAME}` in
 * credential values replaced from `environment` so secrets stay out of the file. Pure: reads
 * nothing. An entry with an error is skipped and the others load; a YAML syntax error skips the file.
 */
export function compileConnectorsFile(
  text: string,
  file: string,
  environment: Readonly<Record<string, string | undefined>>,
): CompiledConnectorsFile {
  const parsed = parseYamlFile<ConnectorsFileDiagnosticCode>(
    text,
    file,
    ConnectorsFileDiagnosticCode.YamlSyntax,
  );
  if (!parsed.ok) return { definitions: [], diagnostics: parsed.diagnostics };
  const { yaml, data } = parsed;
  const diagnostics: ConnectorsFileDiagnostic[] = parsed.diagnostics;
  const at = (
    severity: ConnectorsFileDiagnostic['severity'],
    code: ConnectorsFileDiagnosticCode,
    path: PathSegment[],
    message: string,
  ): ConnectorsFileDiagnostic => diagnosticInYaml(yaml, { severity, code, path, message });

  if (!isRecord(data) || !('connectors' in data)) {
    diagnostics.push(
      at(
        'error',
        ConnectorsFileDiagnosticCode.InvalidStructure,
        [],
        'expected a mapping with a `connectors` list',
      ),
    );
    return { definitions: [], diagnostics };
  }
  for (const key of Object.keys(data)) {
    if (key !== 'connectors') {
      diagnostics.push(
        at('error', ConnectorsFileDiagnosticCode.UnknownField, [key], `unknown field "${key}"`),
      );
    }
  }
  const entries = data.connectors;
  if (entries === null || (Array.isArray(entries) && entries.length === 0)) {
    diagnostics.push(
      at('warning', ConnectorsFileDiagnosticCode.NoConnectors, ['connectors'], 'the list is empty'),
    );
    return { definitions: [], diagnostics };
  }
  if (!Array.isArray(entries)) {
    diagnostics.push(
      at('error', ConnectorsFileDiagnosticCode.InvalidStructure, ['connectors'], 'expected a list'),
    );
    return { definitions: [], diagnostics };
  }

  const definitions: ConnectorDefinition[] = [];
  const firstLine = new Map<string, number | null>();
  entries.forEach((raw: unknown, index) => {
    const prefix: PathSegment[] = ['connectors', index];
    const findings: ConnectorsFileDiagnostic[] = [];
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.flatMap((each) => fieldIssues(each, raw))) {
        // The kinds are codes of this file's diagnostics too.
        findings.push(at('error', issue.kind, [...prefix, ...issue.path], issue.message));
      }
      diagnostics.push(...sortByLine(findings));
      return;
    }
    const entry = parsed.data;
    const credentials: Record<string, string> = {};
    for (const [field, value] of Object.entries(entry.credentials)) {
      const path = [...prefix, 'credentials', field];
      const names = [...value.matchAll(VARIABLE)].map((match) => match[1] as string);
      if (names.length === 0 && !IDENTIFIER_FIELDS.has(field)) {
        findings.push(
          at(
            'warning',
            ConnectorsFileDiagnosticCode.LiteralSecret,
            path,
            'a secret written in the file; prefer ${VARIABLE}',
          ),
        );
      }
      const unset = names.filter((name) => !environment[name]);
      for (const name of unset) {
        findings.push(
          at(
            'error',
            ConnectorsFileDiagnosticCode.UnsetVariable,
            path,
            `environment variable ${name} is not set`,
          ),
        );
      }
      credentials[field] = value.replace(VARIABLE, (_match, name: string) => environment[name] ?? '');
    }
    const definition: ConnectorDefinition = {
      name: entry.name,
      type: entry.type,
      baseUrl: entry.baseUrl,
      credentials,
      options: entry.options,
      ...(entry.capability !== undefined ? { capability: entry.capability } : {}),
    };
    if (!findings.some((finding) => finding.severity === 'error')) {
      for (const issue of instanceIssues(toInstance(definition, 'file'))) {
        const path = issue.path.split('.');
        findings.push(
          valueAtPath(definition, path) === undefined
            ? at(
                'error',
                ConnectorsFileDiagnosticCode.MissingField,
                [...prefix, ...path],
                'missing required field',
              )
            : at('error', ConnectorsFileDiagnosticCode.InvalidField, [...prefix, ...path], issue.message),
        );
      }
    }
    const nameLine = locateInYaml(yaml.document, yaml.lineCounter, [...prefix, 'name']);
    if (firstLine.has(entry.name)) {
      const first = firstLine.get(entry.name);
      findings.push(
        at(
          'error',
          ConnectorsFileDiagnosticCode.DuplicateName,
          [...prefix, 'name'],
          `connector "${entry.name}" is already defined${first ? ` at line ${first}` : ''}; this entry is skipped`,
        ),
      );
    } else {
      firstLine.set(entry.name, nameLine);
    }
    diagnostics.push(...sortByLine(findings));
    if (!findings.some((finding) => finding.severity === 'error')) definitions.push(definition);
  });
  return { definitions, diagnostics };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
