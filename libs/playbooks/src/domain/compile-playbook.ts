import { createHash } from 'node:crypto';

import { tacticById } from '@rampart/alerts';
import { parseDuration } from '@rampart/config';
import { capabilityOf, isReversible, MAX_EXPIRY_SECONDS } from '@rampart/connectors';
import {
  diagnosticInYaml,
  fieldIssues,
  formatYamlPath,
  furthestAlternative,
  hasErrors,
  parseYamlFile,
  type PathSegment,
  sortByLine,
  type YamlFinding,
} from '@rampart/diagnostics';
import { type RetryPolicy, retryPolicyProblems } from '@rampart/resilience';
import { TemplateError, TemplateRenderer } from '@rampart/templates';
import type { z } from 'zod';

import { type Condition, FIELD_OPERATORS, FIELD_ROOTS, parseCidr } from './condition';
import type { InputSpec, OnError, Playbook, Step } from './playbook';
import { PlaybookDiagnostic, PlaybookDiagnosticCode } from './playbook-diagnostic';
import { coerceInput } from './playbook-inputs';
import {
  type ConditionFile,
  PLAYBOOK_ID_PATTERN,
  type PlaybookFile,
  playbookSchema,
  type StepFile,
  stepSchema,
} from './playbook-schema';
import { DEFAULT_STEP_RETRY_POLICY } from './retry-policy';

/** One playbook file: its text and the name diagnostics should show for it. */
export interface PlaybookSource {
  file: string;
  text: string;
  /** sha256 (hex) of the file's bytes; computed from `text` (UTF-8) when absent. */
  hash?: string;
}

/** A place in a playbook file. */
export interface PlaybookLocation {
  line: number | null;
  column?: number;
  path: string;
}

/** One file compiled on its own (sub-playbooks are resolved across files afterwards). */
export interface CompiledPlaybookFile {
  file: string;
  hash: string;
  /** The YAML text as loaded. */
  source: string;
  /** The id as written when it is readable, even if the playbook is invalid. */
  id: string | null;
  idAt: PlaybookLocation | null;
  /** null when the file has an error. */
  playbook: Playbook | null;
  diagnostics: PlaybookDiagnostic[];
  /** The sub-playbooks it calls, and where. */
  calls: { playbook: string; at: PlaybookLocation }[];
}

type Finding = YamlFinding<PlaybookDiagnosticCode> & { path: PathSegment[] };

const DEFAULT_APPROVAL_TIMEOUT_MS = 4 * 3_600_000;
const DEFAULT_MAX_ITEMS = 50;
/** What a trigger can look at: the run (inputs, variables, steps) does not exist yet. */
const TRIGGER_FIELD_ROOTS: readonly string[] = ['incident', 'entities', 'alerts', 'ruleMatches'];

// One renderer for checking: templates compile once, at load, so a bad one is a diagnostic with
// its line rather than a failed step.
const renderer = new TemplateRenderer();

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Compiles one playbook file. Pure: parses, validates and compiles `text`, reading nothing. Every
 * problem is reported (not only the first), each with its line and path.
 */
export function compilePlaybook(source: PlaybookSource): CompiledPlaybookFile {
  const hash = source.hash ?? sha256Hex(source.text);
  const base = { file: source.file, hash, source: source.text };
  const empty = { ...base, id: null, idAt: null, playbook: null, calls: [] };
  const parsed = parseYamlFile<PlaybookDiagnosticCode>(
    source.text,
    source.file,
    PlaybookDiagnosticCode.YamlSyntax,
  );
  if (!parsed.ok) return { ...empty, diagnostics: parsed.diagnostics };
  const { yaml, data } = parsed;
  const place = (finding: Finding): PlaybookDiagnostic => diagnosticInYaml(yaml, finding, { column: true });
  const location = (path: PathSegment[]): PlaybookLocation => {
    const {
      line,
      column,
      path: text,
    } = diagnosticInYaml(yaml, error('invalid_field', path, ''), { column: true });
    return { line, ...(column !== undefined ? { column } : {}), path: text };
  };
  const diagnostics = [...parsed.diagnostics];
  if (!isRecord(data)) {
    const finding = error(
      PlaybookDiagnosticCode.InvalidStructure,
      [],
      'expected a mapping: a playbook with id, name, version, owner, trigger and steps',
    );
    return { ...empty, diagnostics: [...diagnostics, place(finding)] };
  }
  const id = typeof data['id'] === 'string' && PLAYBOOK_ID_PATTERN.test(data['id']) ? data['id'] : null;
  const identified = { ...base, id, idAt: id === null ? null : location(['id']) };
  const checked = playbookSchema.safeParse(data);
  if (!checked.success) {
    diagnostics.push(...checked.error.issues.flatMap((issue) => schemaFindings(issue, data)).map(place));
  }
  // The semantic checks run on every part that matches the schema, so one pass reports them
  // beside the schema's findings.
  const compiler = new PlaybookCompiler();
  const playbook = compiler.compile(data, source.file, hash);
  diagnostics.push(...compiler.findings.map(place));
  return {
    ...identified,
    playbook: checked.success && !hasErrors(diagnostics) ? playbook : null,
    diagnostics: sortByLine(diagnostics),
    calls: compiler.calls.map((call) => ({ playbook: call.playbook, at: location(call.path) })),
  };
}

/** zod issues as findings: unknown, missing or invalid fields, looking inside failed unions. */
function schemaFindings(issue: z.core.$ZodIssue, raw: unknown): Finding[] {
  const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // A value-or-list (or string-or-mapping) where no alternative got anywhere: the first
    // alternative (the plain form) says best what was expected.
    const inner =
      furthestAlternative(path, issue.errors) ??
      (issue.errors[0] ?? []).map((each) => ({ ...each, path: [...path, ...each.path] }));
    if (inner.length > 0) return inner.flatMap((each) => schemaFindings(each, raw));
  }
  return fieldIssues(issue, raw).map((field) => ({
    ...error(field.kind, field.path, field.message),
    ...(field.kind === 'unknown_field' ? { atKey: true } : {}),
  }));
}

/** The semantic checks and the compiled form; the file already matches the schema. */
class PlaybookCompiler {
  readonly findings: Finding[] = [];
  readonly calls: { playbook: string; path: PathSegment[] }[] = [];
  private readonly stepIds = new Map<string, PathSegment[]>();
  private readonly stepReferences: { id: string; path: PathSegment[] }[] = [];
  private inputs: Record<string, InputSpec> = {};
  /** false when the inputs themselves are wrong: references to them are not checked then. */
  private inputsKnown = true;

  /** The compiled form of what is sound in `data`; meaningful only when the whole file is. */
  compile(data: Record<string, unknown>, fileName: string, hash: string): Playbook {
    const shape = playbookSchema.shape;
    const inputs = shape.inputs.safeParse(data['inputs']);
    this.inputsKnown = inputs.success;
    this.inputs = this.compileInputs(inputs.data ?? {});
    const trigger = shape.trigger.safeParse(data['trigger']);
    const rawSteps = Array.isArray(data['steps']) ? (data['steps'] as unknown[]) : [];
    const steps = this.steps(rawSteps, ['steps'], false);
    for (const reference of this.stepReferences) {
      if (!this.stepIds.has(reference.id)) {
        this.error(
          PlaybookDiagnosticCode.UnknownStep,
          reference.path,
          `no step "${reference.id}" in this playbook`,
        );
      }
    }
    const file = data as Partial<PlaybookFile>;
    return {
      id: String(file.id),
      name: String(file.name),
      version: Number(file.version),
      description: file.description ?? '',
      owner: String(file.owner),
      enabled: file.enabled ?? true,
      file: fileName,
      hash,
      trigger: trigger.success
        ? {
            on: [...new Set(asList(trigger.data.on))],
            when: trigger.data.when
              ? this.condition(trigger.data.when, ['trigger', 'when'], 'trigger')
              : null,
            oncePerIncident: trigger.data.once_per_incident ?? true,
          }
        : { on: [], when: null, oncePerIncident: true },
      inputs: this.inputs,
      steps,
    };
  }

  private compileInputs(inputs: NonNullable<PlaybookFile['inputs']>): Record<string, InputSpec> {
    const compiled: Record<string, InputSpec> = {};
    for (const [name, spec] of Object.entries(inputs)) {
      const input: InputSpec = { type: spec.type, description: spec.description ?? '' };
      if (spec.default !== undefined) {
        const value = coerceInput(spec.type, spec.default);
        if (value.ok) input.default = value.value;
        else this.error(PlaybookDiagnosticCode.InvalidInput, ['inputs', name, 'default'], value.problem);
      }
      compiled[name] = input;
    }
    return compiled;
  }

  /** The steps of a list that match the schema, compiled; the others were reported already. */
  private steps(list: readonly unknown[], path: PathSegment[], inForEach: boolean): Step[] {
    const ids = list.map((raw) => (isRecord(raw) && typeof raw['id'] === 'string' ? raw['id'] : null));
    const compiled: Step[] = [];
    list.forEach((raw, index) => {
      const checked = stepSchema.safeParse(raw);
      if (!checked.success) return;
      const step = this.step(checked.data, [...path, index], inForEach);
      compiled.push(step);
      // A goto only jumps forward within its own list: runs always end, and a step never runs
      // twice (its idempotency keys stay unique in the run).
      if (step.onError.kind !== 'goto') return;
      const target = step.onError.step;
      const at = ids.indexOf(target);
      if (at <= index) {
        this.error(
          PlaybookDiagnosticCode.InvalidGoto,
          [...path, index, 'on_error', 'goto'],
          at === -1
            ? `"${target}" is not a step of the same list: goto jumps to a later step of its own list`
            : `"${target}" comes before this step: goto jumps to a later step of its own list`,
        );
      }
    });
    return compiled;
  }

  private step(raw: StepFile, path: PathSegment[], inForEach: boolean): Step {
    const first = this.stepIds.get(raw.id);
    if (first !== undefined) {
      this.error(
        PlaybookDiagnosticCode.DuplicateStepId,
        [...path, 'id'],
        `step id "${raw.id}" is already used at ${formatYamlPath(first)}`,
      );
    } else {
      this.stepIds.set(raw.id, [...path, 'id']);
    }
    const onError: OnError =
      raw.on_error === undefined || raw.on_error === 'fail'
        ? { kind: 'fail' }
        : raw.on_error === 'continue'
          ? { kind: 'continue' }
          : { kind: 'goto', step: raw.on_error.goto };
    const base = {
      id: raw.id,
      name: raw.name ?? raw.id,
      when: raw.when ? this.condition(raw.when, [...path, 'when'], 'step') : null,
      timeoutMs: raw.timeout === undefined ? null : this.duration(raw.timeout, [...path, 'timeout']),
      onError,
    };
    switch (raw.kind) {
      case 'action': {
        const capability = capabilityOf(raw.operation);
        if (raw.capability !== undefined && raw.capability !== capability) {
          this.error(
            PlaybookDiagnosticCode.CapabilityMismatch,
            [...path, 'capability'],
            `${raw.operation} is a ${capability} operation, not ${raw.capability}`,
          );
        }
        this.template(raw.target, [...path, 'target']);
        if (raw.reason !== undefined) this.template(raw.reason, [...path, 'reason']);
        for (const [name, text] of Object.entries(raw.parameters ?? {})) {
          this.template(text, [...path, 'parameters', name]);
        }
        return {
          ...base,
          kind: 'action',
          operation: raw.operation,
          capability,
          connector: raw.connector ?? null,
          target: raw.target,
          reason: raw.reason ?? null,
          parameters: { ...(raw.parameters ?? {}) },
          expiresAfter: this.expiry(raw, [...path, 'expires_after']),
          retry: raw.retry === undefined ? null : this.retry(raw.retry, [...path, 'retry']),
        };
      }
      case 'condition':
        return {
          ...base,
          kind: 'condition',
          if: this.condition(raw.if, [...path, 'if'], 'step'),
          then: this.steps(raw.then, [...path, 'then'], inForEach),
          else: this.steps(raw.else ?? [], [...path, 'else'], inForEach),
        };
      case 'parallel':
        return {
          ...base,
          kind: 'parallel',
          branches: raw.branches.map((branch, index) => ({
            name: branch.name ?? `branch ${index + 1}`,
            steps: this.steps(branch.steps, [...path, 'branches', index, 'steps'], inForEach),
          })),
        };
      case 'approval': {
        this.template(raw.message, [...path, 'message']);
        const approvers = {
          roles: asList(raw.approvers?.roles),
          users: asList(raw.approvers?.users),
          apiKeys: asList(raw.approvers?.api_keys),
        };
        if (approvers.roles.length + approvers.users.length + approvers.apiKeys.length === 0) {
          approvers.roles = ['responder'];
        }
        return {
          ...base,
          kind: 'approval',
          timeoutMs: base.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS,
          message: raw.message,
          approvers,
          onTimeout: raw.on_timeout ?? 'reject',
        };
      }
      case 'wait':
        return { ...base, kind: 'wait', durationMs: this.duration(raw.duration, [...path, 'duration']) };
      case 'playbook':
        this.calls.push({ playbook: raw.playbook, path: [...path, 'playbook'] });
        return {
          ...base,
          kind: 'playbook',
          playbook: raw.playbook,
          inputs: this.values(raw.inputs ?? {}, [...path, 'inputs']),
          retry: raw.retry === undefined ? null : this.retry(raw.retry, [...path, 'retry']),
        };
      case 'set':
        return { ...base, kind: 'set', variables: this.values(raw.variables, [...path, 'variables']) };
      case 'incident':
        if (raw.comment !== undefined) this.template(raw.comment, [...path, 'comment']);
        return {
          ...base,
          kind: 'incident',
          status: raw.status ?? null,
          severity: raw.severity ?? null,
          comment: raw.comment ?? null,
        };
      case 'for_each':
        if (inForEach) {
          this.error(
            PlaybookDiagnosticCode.NestedForEach,
            [...path, 'kind'],
            'a for_each inside a for_each: call a sub-playbook from the outer loop instead',
          );
        }
        return {
          ...base,
          kind: 'for_each',
          entities: { types: asList(raw.entities.type), roles: asList(raw.entities.role) },
          maxItems: raw.max_items ?? DEFAULT_MAX_ITEMS,
          steps: this.steps(raw.steps, [...path, 'steps'], true),
        };
    }
  }

  private expiry(
    raw: Extract<StepFile, { kind: 'action' }>,
    path: PathSegment[],
  ): { seconds: number } | { input: string } | null {
    const expiresAfter = raw.expires_after;
    if (expiresAfter === undefined) return null;
    if (!isReversible(raw.operation)) {
      this.error(
        PlaybookDiagnosticCode.NotReversible,
        path,
        `${raw.operation} cannot be undone, so it cannot expire`,
      );
    }
    if (typeof expiresAfter === 'string') {
      const seconds = Math.floor(this.duration(expiresAfter, path) / 1_000);
      if (seconds > MAX_EXPIRY_SECONDS) {
        this.error(
          PlaybookDiagnosticCode.InvalidDuration,
          path,
          `at most 30d (${MAX_EXPIRY_SECONDS} seconds)`,
        );
      }
      return { seconds };
    }
    const input = this.inputs[expiresAfter.input];
    if (!this.inputsKnown) return { input: expiresAfter.input };
    if (input === undefined) {
      this.error(PlaybookDiagnosticCode.UnknownInput, [...path, 'input'], `no input "${expiresAfter.input}"`);
    } else if (input.type !== 'duration') {
      this.error(
        PlaybookDiagnosticCode.InvalidInput,
        [...path, 'input'],
        `input "${expiresAfter.input}" is a ${input.type}, not a duration`,
      );
    }
    return { input: expiresAfter.input };
  }

  private retry(
    raw: NonNullable<Extract<StepFile, { kind: 'action' }>['retry']>,
    path: PathSegment[],
  ): RetryPolicy {
    const initialDelayMs =
      raw.initial_delay === undefined
        ? DEFAULT_STEP_RETRY_POLICY.initialDelayMs
        : this.duration(raw.initial_delay, [...path, 'initial_delay']);
    const policy: RetryPolicy = {
      maxRetries: raw.max_retries ?? DEFAULT_STEP_RETRY_POLICY.maxRetries,
      initialDelayMs,
      maxDelayMs:
        raw.max_delay === undefined
          ? Math.max(DEFAULT_STEP_RETRY_POLICY.maxDelayMs, initialDelayMs)
          : this.duration(raw.max_delay, [...path, 'max_delay']),
      multiplier: raw.multiplier ?? DEFAULT_STEP_RETRY_POLICY.multiplier,
      jitter: raw.jitter ?? DEFAULT_STEP_RETRY_POLICY.jitter,
    };
    for (const problem of retryPolicyProblems(policy))
      this.error(PlaybookDiagnosticCode.InvalidRetry, path, problem);
    return policy;
  }

  private values(
    values: Record<string, string | number | boolean | string[]>,
    path: PathSegment[],
  ): Record<string, string | number | boolean | string[]> {
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === 'string') this.template(value, [...path, name]);
      else if (Array.isArray(value))
        value.forEach((item, index) => this.template(item, [...path, name, index]));
    }
    return { ...values };
  }

  private condition(raw: ConditionFile, path: PathSegment[], where: 'trigger' | 'step'): Condition {
    const parts: Condition[] = [];
    if (raw.all !== undefined) {
      const conditions = raw.all.map((inner, index) => this.condition(inner, [...path, 'all', index], where));
      parts.push({ kind: 'all', conditions });
    }
    if (raw.any !== undefined) {
      const conditions = raw.any.map((inner, index) => this.condition(inner, [...path, 'any', index], where));
      parts.push({ kind: 'any', conditions });
    }
    if (raw.not !== undefined)
      parts.push({ kind: 'not', condition: this.condition(raw.not, [...path, 'not'], where) });
    if (raw.severity !== undefined) {
      if (raw.severity.at_least === undefined && raw.severity.one_of === undefined) {
        this.error(PlaybookDiagnosticCode.InvalidCondition, [...path, 'severity'], 'give at_least or one_of');
      }
      parts.push({
        kind: 'severity',
        atLeast: raw.severity.at_least ?? null,
        oneOf: asList(raw.severity.one_of),
      });
    }
    if (raw.status !== undefined) parts.push({ kind: 'status', oneOf: asList(raw.status) });
    if (raw.entity !== undefined) {
      parts.push({
        kind: 'entity',
        types: asList(raw.entity.type),
        roles: asList(raw.entity.role),
        values: asList(raw.entity.value),
        patterns: asList(raw.entity.matches),
      });
    }
    if (raw.tag !== undefined) parts.push({ kind: 'tag', anyOf: asList(raw.tag) });
    if (raw.source_format !== undefined)
      parts.push({ kind: 'source_format', anyOf: asList(raw.source_format) });
    if (raw.rule !== undefined) parts.push({ kind: 'rule', anyOf: asList(raw.rule) });
    if (raw.tactic !== undefined) {
      const tactics = asList(raw.tactic).map((id) => id.toUpperCase());
      tactics.forEach((id, index) => {
        if (tacticById(id) === undefined) {
          const at = Array.isArray(raw.tactic) ? [...path, 'tactic', index] : [...path, 'tactic'];
          this.findings.push({
            severity: 'warning',
            code: PlaybookDiagnosticCode.UnknownTactic,
            path: at,
            message: `"${id}" is not an ATT&CK Enterprise tactic id`,
          });
        }
      });
      parts.push({ kind: 'tactic', anyOf: tactics });
    }
    if (raw.technique !== undefined) {
      parts.push({ kind: 'technique', anyOf: asList(raw.technique).map((id) => id.toUpperCase()) });
    }
    if (raw.alert_title_contains !== undefined) {
      parts.push({ kind: 'alert_title', containsAny: asList(raw.alert_title_contains) });
    }
    if (raw.field !== undefined) parts.push(this.fieldCondition(raw.field, [...path, 'field'], where));
    if (parts.length === 0) {
      this.error(
        PlaybookDiagnosticCode.InvalidCondition,
        path,
        'an empty condition: give at least one of all, any, not, severity, status, entity, tag, source_format, rule, tactic, technique, alert_title_contains, field',
      );
      return { kind: 'all', conditions: [] };
    }
    return parts.length === 1 ? (parts[0] as Condition) : { kind: 'all', conditions: parts };
  }

  private fieldCondition(
    raw: NonNullable<ConditionFile['field']>,
    path: PathSegment[],
    where: 'trigger' | 'step',
  ): Condition {
    const operators = FIELD_OPERATORS.filter((operator) => raw[operator] !== undefined);
    const operator = operators[0] ?? 'exists';
    if (operators.length !== 1) {
      this.error(
        PlaybookDiagnosticCode.InvalidCondition,
        path,
        `give exactly one operator of ${FIELD_OPERATORS.join(', ')}${operators.length > 1 ? ` (found ${operators.join(', ')})` : ''}`,
      );
    }
    const segments = raw.path.split('.');
    const [root, name] = segments;
    const roots: readonly string[] = where === 'trigger' ? TRIGGER_FIELD_ROOTS : FIELD_ROOTS;
    if (root === undefined || !roots.includes(root)) {
      this.error(
        PlaybookDiagnosticCode.InvalidCondition,
        [...path, 'path'],
        `must start with one of ${roots.join(', ')}${where === 'trigger' ? ' (a trigger sees only the incident)' : ''}`,
      );
    } else if (root === 'steps' && name !== undefined) {
      this.stepReferences.push({ id: name, path: [...path, 'path'] });
    } else if (
      root === 'inputs' &&
      name !== undefined &&
      this.inputsKnown &&
      this.inputs[name] === undefined
    ) {
      this.error(PlaybookDiagnosticCode.UnknownInput, [...path, 'path'], `no input "${name}"`);
    }
    const value = raw[operator];
    if (operator === 'in_cidr') {
      asList(raw.in_cidr).forEach((cidr, index) => {
        if (parseCidr(cidr) === null) {
          const at = Array.isArray(raw.in_cidr) ? [...path, 'in_cidr', index] : [...path, 'in_cidr'];
          this.error(
            PlaybookDiagnosticCode.InvalidCondition,
            at,
            `"${cidr}" is not a CIDR block such as 10.0.0.0/8`,
          );
        }
      });
    }
    return {
      kind: 'field',
      path: segments,
      operator,
      value:
        operator === 'matches' || operator === 'in_cidr'
          ? asList(value as string | string[])
          : (value ?? true),
    };
  }

  private duration(text: string, path: PathSegment[]): number {
    const ms = parseDuration(text);
    if (ms === null) {
      this.error(
        PlaybookDiagnosticCode.InvalidDuration,
        path,
        `"${text}" is not a duration such as 90s, 30m, 2h or 1d`,
      );
      return 0;
    }
    return ms;
  }

  private template(text: string, path: PathSegment[]): void {
    try {
      renderer.check(text);
    } catch (failure) {
      if (!(failure instanceof TemplateError)) throw failure;
      this.error(PlaybookDiagnosticCode.InvalidTemplate, path, failure.message);
    }
  }

  private error(code: PlaybookDiagnosticCode, path: PathSegment[], message: string): void {
    this.findings.push(error(code, path, message));
  }
}

function error(code: PlaybookDiagnosticCode, path: PathSegment[], message: string): Finding {
  return { severity: 'error', code, path, message };
}

function asList<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
