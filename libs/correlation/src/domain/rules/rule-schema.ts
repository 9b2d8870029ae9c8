import {
  ENTITY_ROLES,
  ENTITY_TYPES,
  type EntityRole,
  type EntityType,
  SEVERITY_NAMES,
  severityId,
} from '@rampart/alerts';
import { formatDuration, parseDuration } from '@rampart/config';
import { z } from 'zod';

import { TACTIC_ID_PATTERN, TECHNIQUE_ID_PATTERN } from './attack-tactics';
import {
  CORRELATION_RULE_TYPES,
  type CorrelationRule,
  type EntitySelector,
  type EventFilter,
  MAX_SEQUENCE_STEPS,
  MAX_WITHIN_MS,
  MIN_SEQUENCE_STEPS,
} from './correlation-rule';
import { anyEventFilter } from './event-filter';
import { RuleDiagnosticCode } from './rule-diagnostic';

// The schemas validate and compile in one pass: each field turns into its compiled form, and a
// field that cannot reports an issue carrying the diagnostic code in `params`, so every problem
// of a rule surfaces at once instead of the first per rule.

type RefinementContext = z.core.$RefinementCtx;

export interface DiagnosticParams {
  diagnostic: RuleDiagnosticCode;
}

function report(
  ctx: RefinementContext,
  diagnostic: RuleDiagnosticCode,
  message: string,
  path: (string | number)[] = [],
): void {
  const params: DiagnosticParams = { diagnostic };
  ctx.addIssue({ code: 'custom', message, params, path });
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

export const RULE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const ruleId = z.string().max(100).regex(RULE_ID_PATTERN, {
  error: 'must be kebab-case: lower-case letters and digits joined by single hyphens',
});

const severity = z.enum(SEVERITY_NAMES).transform(severityId);

// The reporting device (observer) is shared by every alert it reports: grouping on it would join
// unrelated activity, so rules cannot select it.
const SELECTABLE_ROLES = ENTITY_ROLES.filter((role) => role !== 'observer');

const entitySelector = z.string().transform((text, ctx): EntitySelector => {
  const parts = text.split(':');
  const [type, role] = parts;
  if (parts.length > 2 || type === undefined || type === '' || role === '') {
    report(
      ctx,
      RuleDiagnosticCode.InvalidField,
      `"${text}" is not an entity selector: write an entity type, optionally with a role (host, ip:source)`,
    );
    return z.NEVER;
  }
  if (!isOneOf(ENTITY_TYPES, type)) {
    report(
      ctx,
      RuleDiagnosticCode.UnknownEntityType,
      `unknown entity type "${type}": expected one of ${ENTITY_TYPES.join(', ')}`,
    );
  }
  if (role !== undefined && !isOneOf(SELECTABLE_ROLES, role)) {
    report(
      ctx,
      RuleDiagnosticCode.UnknownEntityRole,
      role === 'observer'
        ? 'the observer (the device that reported the alert) is never correlated'
        : `unknown entity role "${role}": expected one of ${SELECTABLE_ROLES.join(', ')}`,
    );
  }
  if (!isOneOf(ENTITY_TYPES, type) || (role !== undefined && !isOneOf(SELECTABLE_ROLES, role)))
    return z.NEVER;
  return { type: type as EntityType, role: (role ?? null) as EntityRole | null };
});

// A bare number is the likeliest mistake (`within: 600`), so it gets its own message rather than
// a type error.
const duration = z.unknown().transform((value, ctx): number => {
  if (value === undefined) {
    report(ctx, RuleDiagnosticCode.MissingField, 'missing required field');
    return z.NEVER;
  }
  if (typeof value === 'number') {
    report(
      ctx,
      RuleDiagnosticCode.InvalidDuration,
      `${value} has no unit: write e.g. ${value}s or ${value}m`,
    );
    return z.NEVER;
  }
  const ms = typeof value === 'string' ? parseDuration(value) : null;
  if (ms === null) {
    report(
      ctx,
      RuleDiagnosticCode.InvalidDuration,
      `${JSON.stringify(value)} is not a duration: use whole numbers of d, h, m and s, largest unit first ` +
        '(90s, 10m, 1h30m)',
    );
    return z.NEVER;
  }
  if (ms > MAX_WITHIN_MS) {
    report(
      ctx,
      RuleDiagnosticCode.InvalidDuration,
      `${String(value)} is longer than the ${formatDuration(MAX_WITHIN_MS)} maximum`,
    );
    return z.NEVER;
  }
  return ms;
});

function stringOrList<T>(item: z.ZodType<T, string>) {
  return z
    .union([item, z.array(item).min(1)], { error: 'expected a string or a non-empty list of strings' })
    .transform((value): T[] => (Array.isArray(value) ? value : [value]));
}

function attackId(pattern: RegExp, what: string) {
  return z
    .string()
    .min(1)
    .transform((text, ctx): string => {
      const id = text.trim().toUpperCase();
      if (!pattern.test(id))
        report(ctx, RuleDiagnosticCode.InvalidAttackId, `"${text}" is not an ATT&CK ${what}`);
      return id;
    });
}

const lowerCaseText = z
  .string()
  .min(1)
  .transform((text) => text.toLowerCase());

export const eventFilterSchema = z
  .strictObject({
    min_severity: severity.optional(),
    tactic: stringOrList(attackId(TACTIC_ID_PATTERN, 'tactic id such as TA0006')).optional(),
    technique: stringOrList(
      attackId(TECHNIQUE_ID_PATTERN, 'technique id such as T1110 or T1110.001'),
    ).optional(),
    source: stringOrList(lowerCaseText).optional(),
    title_contains: stringOrList(lowerCaseText).optional(),
  })
  .transform((filter): EventFilter => ({
    minSeverityId: filter.min_severity ?? null,
    tacticIds: filter.tactic ?? [],
    techniqueIds: filter.technique ?? [],
    sources: filter.source ?? [],
    titleContains: filter.title_contains ?? [],
  }));

const commonFields = {
  id: ruleId,
  name: z.string().trim().min(1),
  description: z.string().optional(),
  severity,
  group_by: entitySelector,
  within: duration,
  where: eventFilterSchema.optional(),
};

function common(rule: {
  id: string;
  name: string;
  description?: string | undefined;
  severity: CorrelationRule['severityId'];
  group_by: EntitySelector;
  within: number;
  where?: EventFilter | undefined;
}) {
  return {
    id: rule.id,
    name: rule.name,
    description: rule.description?.trim() || null,
    severityId: rule.severity,
    groupBy: rule.group_by,
    withinMs: rule.within,
    where: rule.where ?? anyEventFilter(),
  };
}

const count = z.int().min(1);

/** One schema per rule type, each producing the compiled rule. */
export const RULE_SCHEMAS = {
  threshold: z
    .strictObject({ ...commonFields, type: z.literal('threshold'), count })
    .transform((rule): CorrelationRule => ({ ...common(rule), type: 'threshold', count: rule.count })),
  distinct_count: z
    .strictObject({ ...commonFields, type: z.literal('distinct_count'), distinct: entitySelector, count })
    .transform((rule): CorrelationRule => ({
      ...common(rule),
      type: 'distinct_count',
      distinct: rule.distinct,
      count: rule.count,
    })),
  sequence: z
    .strictObject({
      ...commonFields,
      type: z.literal('sequence'),
      steps: z.array(eventFilterSchema).min(MIN_SEQUENCE_STEPS).max(MAX_SEQUENCE_STEPS),
    })
    .transform((rule): CorrelationRule => ({ ...common(rule), type: 'sequence', steps: rule.steps })),
} satisfies Record<(typeof CORRELATION_RULE_TYPES)[number], z.ZodType>;

/** For a rule of unknown type: still checks the fields every rule has. */
export const COMMON_RULE_SCHEMA = z.looseObject(commonFields);
