import { isMap } from 'yaml';
import type { z } from 'zod';

import {
  diagnosticInYaml,
  fieldIssues,
  formatYamlPath,
  furthestAlternative,
  locateInYaml,
  parseYamlFile,
  type PathSegment,
  sortByLine,
  type YamlFinding,
} from '@rampart/diagnostics';

import { isKnownTactic } from './attack-tactics';
import { CORRELATION_RULE_TYPES, type CorrelationRule } from './correlation-rule';
import { type CompiledRuleSet, type RuleDiagnostic, RuleDiagnosticCode } from './rule-diagnostic';
import { COMMON_RULE_SCHEMA, type DiagnosticParams, RULE_ID_PATTERN, RULE_SCHEMAS } from './rule-schema';

/** The text of one rules file and the name diagnostics should show for it. */
export interface RuleSource {
  file: string;
  text: string;
}

/** Compiles one rules file. Pure: parses, validates and compiles `text`, reading nothing. */
export function compileRulesFromText(text: string, fileName: string): CompiledRuleSet {
  return compileRuleSources([{ file: fileName, text }]);
}

/**
 * Compiles several rules files as one set, in the order given. A rule with an error is skipped
 * and the others load; a YAML syntax error skips its whole file. Rule ids are unique across the
 * set: the first definition wins, later ones are reported and skipped.
 */
export function compileRuleSources(sources: readonly RuleSource[]): CompiledRuleSet {
  const rules: CorrelationRule[] = [];
  const diagnostics: RuleDiagnostic[] = [];
  const firstDefinitions = new Map<string, string>();
  for (const source of sources) {
    const compiled = compileFile(source);
    for (const entry of compiled.entries) {
      const first = firstDefinitions.get(entry.id);
      if (first !== undefined) {
        compiled.diagnostics.push({
          severity: 'error',
          code: RuleDiagnosticCode.DuplicateId,
          file: source.file,
          line: entry.line,
          path: entry.path,
          message: `rule id "${entry.id}" is already defined at ${first}; this definition is skipped`,
        });
        continue;
      }
      firstDefinitions.set(entry.id, entry.line === null ? source.file : `${source.file}:${entry.line}`);
      if (entry.rule !== null) rules.push(entry.rule);
    }
    diagnostics.push(...sortByLine(compiled.diagnostics));
  }
  return { rules, diagnostics };
}

interface RuleEntry {
  id: string;
  /** Where the id is written. */
  line: number | null;
  path: string;
  /** null when the rule has errors: its id still counts, so a duplicate is reported either way. */
  rule: CorrelationRule | null;
}

interface CompiledFile {
  entries: RuleEntry[];
  diagnostics: RuleDiagnostic[];
}

type Finding = YamlFinding<RuleDiagnosticCode> & { path: PathSegment[] };

function compileFile(source: RuleSource): CompiledFile {
  const parsed = parseYamlFile<RuleDiagnosticCode>(source.text, source.file, RuleDiagnosticCode.YamlSyntax);
  if (!parsed.ok) return { entries: [], diagnostics: parsed.diagnostics };
  const { yaml, data } = parsed;
  const { document, lineCounter } = yaml;
  const diagnostics: RuleDiagnostic[] = parsed.diagnostics;
  const at = (finding: Finding): RuleDiagnostic => diagnosticInYaml(yaml, finding);

  const root = document.contents;
  if (root === null || data === null || data === undefined) {
    diagnostics.push(at(warning(RuleDiagnosticCode.NoRules, [], 'the file defines no rules')));
    return { entries: [], diagnostics };
  }
  if (!isMap(root) || !isRecord(data)) {
    diagnostics.push(
      at(error(RuleDiagnosticCode.InvalidStructure, [], 'expected a mapping with a `rules` list at the top')),
    );
    return { entries: [], diagnostics };
  }
  for (const key of Object.keys(data)) {
    if (key !== 'rules') {
      const finding = error(
        RuleDiagnosticCode.UnknownField,
        [key],
        `unknown field "${key}": a rules file holds only \`rules\``,
      );
      diagnostics.push(at({ ...finding, atKey: true }));
    }
  }
  if (!('rules' in data)) {
    diagnostics.push(at(error(RuleDiagnosticCode.MissingField, ['rules'], 'missing required field')));
    return { entries: [], diagnostics };
  }
  const rules = data['rules'];
  if (rules === null || (Array.isArray(rules) && rules.length === 0)) {
    diagnostics.push(at(warning(RuleDiagnosticCode.NoRules, ['rules'], 'the `rules` list is empty')));
    return { entries: [], diagnostics };
  }
  if (!Array.isArray(rules)) {
    diagnostics.push(at(error(RuleDiagnosticCode.InvalidStructure, ['rules'], 'expected a list of rules')));
    return { entries: [], diagnostics };
  }

  const entries: RuleEntry[] = [];
  rules.forEach((raw: unknown, index) => {
    const prefix: PathSegment[] = ['rules', index];
    const compiled = compileRule(raw);
    diagnostics.push(
      ...compiled.findings.map((finding) => at({ ...finding, path: [...prefix, ...finding.path] })),
    );
    if (compiled.id !== null) {
      const idPath = [...prefix, 'id'];
      entries.push({
        id: compiled.id,
        line: locateInYaml(document, lineCounter, idPath, false),
        path: formatYamlPath(idPath),
        rule: compiled.findings.some((finding) => finding.severity === 'error') ? null : compiled.rule,
      });
    }
  });
  return { entries, diagnostics };
}

function compileRule(raw: unknown): { id: string | null; rule: CorrelationRule | null; findings: Finding[] } {
  if (!isRecord(raw)) {
    return {
      id: null,
      rule: null,
      findings: [error(RuleDiagnosticCode.InvalidStructure, [], 'expected a rule mapping')],
    };
  }
  const id = typeof raw['id'] === 'string' && RULE_ID_PATTERN.test(raw['id']) ? raw['id'] : null;
  const findings: Finding[] = [];
  const type = raw['type'];
  let parsed: z.ZodSafeParseResult<unknown>;
  if (typeof type === 'string' && isOneOf(CORRELATION_RULE_TYPES, type)) {
    parsed = RULE_SCHEMAS[type].safeParse(raw);
  } else {
    findings.push(
      type === undefined
        ? error(RuleDiagnosticCode.MissingField, ['type'], 'missing required field')
        : error(
            RuleDiagnosticCode.InvalidField,
            ['type'],
            `unknown rule type ${JSON.stringify(type)}: expected one of ${CORRELATION_RULE_TYPES.join(', ')}`,
          ),
    );
    parsed = COMMON_RULE_SCHEMA.safeParse(raw);
  }
  if (!parsed.success) findings.push(...parsed.error.issues.flatMap((issue) => toFindings(issue, raw)));
  if (!parsed.success || findings.length > 0) return { id, rule: null, findings };

  const rule = parsed.data as CorrelationRule;
  if (
    rule.type === 'distinct_count' &&
    rule.distinct.type === rule.groupBy.type &&
    rule.distinct.role === rule.groupBy.role
  ) {
    findings.push(
      error(
        RuleDiagnosticCode.InvalidField,
        ['distinct'],
        'must differ from `group_by`: a group has one value of it',
      ),
    );
  }
  findings.push(...unknownTactics(raw));
  return { id, rule, findings };
}

function toFindings(issue: z.core.$ZodIssue, raw: unknown): Finding[] {
  const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
  if (issue.code === 'custom') {
    const params = issue.params as DiagnosticParams | undefined;
    return [error(params?.diagnostic ?? RuleDiagnosticCode.InvalidField, path, issue.message)];
  }
  const fields = fieldIssues(issue, raw);
  if (issue.code === 'invalid_union' && fields[0]?.kind === 'invalid_field') {
    // When no alternative got anywhere, the union's own message says what was expected.
    const furthest = furthestAlternative(path, issue.errors);
    if (furthest !== null) return furthest.flatMap((inner) => toFindings(inner, raw));
  }
  // The kinds are rule diagnostic codes too; an unknown field is pointed at by its key.
  return fields.map((field) => ({
    ...error(field.kind, field.path, field.message),
    ...(field.kind === 'unknown_field' ? { atKey: true } : {}),
  }));
}

// Only warns: a tactic id ATT&CK added after this list was written should still work.
function unknownTactics(raw: Record<string, unknown>): Finding[] {
  const filters: [PathSegment[], unknown][] = [[['where'], raw['where']]];
  if (Array.isArray(raw['steps'])) {
    raw['steps'].forEach((step: unknown, index) => filters.push([['steps', index], step]));
  }
  const findings: Finding[] = [];
  for (const [path, filter] of filters) {
    if (!isRecord(filter)) continue;
    const tactic = filter['tactic'];
    const listed: [PathSegment[], unknown][] = Array.isArray(tactic)
      ? tactic.map((id: unknown, index) => [[...path, 'tactic', index], id])
      : [[[...path, 'tactic'], tactic]];
    for (const [tacticPath, id] of listed) {
      if (typeof id === 'string' && !isKnownTactic(id.trim().toUpperCase())) {
        findings.push({
          severity: 'warning',
          code: RuleDiagnosticCode.UnknownTactic,
          path: tacticPath,
          message: `"${id}" is not an ATT&CK Enterprise tactic id`,
        });
      }
    }
  }
  return findings;
}

function error(code: RuleDiagnosticCode, path: PathSegment[], message: string): Finding {
  return { severity: 'error', code, path, message };
}

function warning(code: RuleDiagnosticCode, path: PathSegment[], message: string): Finding {
  return { severity: 'warning', code, path, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
