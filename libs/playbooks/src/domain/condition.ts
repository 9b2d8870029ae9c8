import { BlockList, isIP } from 'node:net';

import {
  type AlertFormat,
  type EntityRole,
  type EntityType,
  SEVERITY_NAMES,
  type SeverityName,
} from '@rampart/alerts';
import type { IncidentStatus } from '@rampart/incidents';

import { matchesGlob } from './glob';
import type { IncidentSnapshot } from './incident-snapshot';

/**
 * A structured condition: the trigger's `when`, a step's `when` and a condition step's `if`.
 * Data, never code: evaluated by {@link evaluateCondition}, nothing is ever `eval`ed.
 */
export type Condition =
  | { kind: 'all'; conditions: Condition[] }
  | { kind: 'any'; conditions: Condition[] }
  | { kind: 'not'; condition: Condition }
  | { kind: 'severity'; atLeast: SeverityName | null; oneOf: SeverityName[] }
  | { kind: 'status'; oneOf: IncidentStatus[] }
  | { kind: 'entity'; types: EntityType[]; roles: EntityRole[]; values: string[]; patterns: string[] }
  | { kind: 'tag'; anyOf: string[] }
  | { kind: 'source_format'; anyOf: AlertFormat[] }
  | { kind: 'rule'; anyOf: string[] }
  | { kind: 'tactic'; anyOf: string[] }
  | { kind: 'technique'; anyOf: string[] }
  | { kind: 'alert_title'; containsAny: string[] }
  | { kind: 'field'; path: string[]; operator: FieldOperator; value: unknown };

export const FIELD_OPERATORS = [
  'equals',
  'one_of',
  'matches',
  'contains',
  'exists',
  'at_least',
  'at_most',
  'in_cidr',
] as const;
export type FieldOperator = (typeof FIELD_OPERATORS)[number];

/** Where a `field` condition may look: the first segment of its path. */
export const FIELD_ROOTS = [
  'incident',
  'entities',
  'alerts',
  'ruleMatches',
  'inputs',
  'vars',
  'steps',
  'item',
  'run',
  'playbook',
] as const;

/** What conditions are evaluated against: the incident, and the template data of the moment. */
export interface ConditionContext {
  snapshot: IncidentSnapshot;
  /** The template data (see docs/playbooks.md): incident, inputs, vars, steps, item... */
  data: Readonly<Record<string, unknown>>;
}

export function evaluateCondition(condition: Condition, context: ConditionContext): boolean {
  const { snapshot } = context;
  switch (condition.kind) {
    case 'all':
      return condition.conditions.every((inner) => evaluateCondition(inner, context));
    case 'any':
      return condition.conditions.some((inner) => evaluateCondition(inner, context));
    case 'not':
      return !evaluateCondition(condition.condition, context);
    case 'severity': {
      const severity = snapshot.incident.severity;
      if (condition.atLeast !== null && rank(severity) < rank(condition.atLeast)) return false;
      return condition.oneOf.length === 0 || (condition.oneOf as readonly string[]).includes(severity);
    }
    case 'status':
      return condition.oneOf.includes(snapshot.incident.status);
    case 'entity':
      return snapshot.entities.some(
        (entity) =>
          (condition.types.length === 0 || condition.types.includes(entity.type)) &&
          (condition.roles.length === 0 || condition.roles.some((role) => entity.roles.includes(role))) &&
          (condition.values.length === 0 ||
            condition.values.some((value) => value.toLowerCase() === entity.value.toLowerCase())) &&
          (condition.patterns.length === 0 ||
            condition.patterns.some((pattern) => matchesGlob(entity.value, pattern))),
      );
    case 'tag': {
      const tags = new Set(snapshot.incident.tags.map((tag) => tag.toLowerCase()));
      return condition.anyOf.some((tag) => tags.has(tag.toLowerCase()));
    }
    case 'source_format':
      return snapshot.alerts.some((alert) => condition.anyOf.includes(alert.format));
    case 'rule':
      return snapshot.ruleMatches.some((match) => condition.anyOf.includes(match.ruleId));
    case 'tactic':
      return snapshot.alerts.some((alert) =>
        alert.tactics.some((id) => condition.anyOf.includes(id.toUpperCase())),
      );
    case 'technique':
      return snapshot.alerts.some((alert) =>
        alert.techniques.some((id) =>
          condition.anyOf.some((wanted) => isSameOrSub(id.toUpperCase(), wanted)),
        ),
      );
    case 'alert_title':
      return snapshot.alerts.some((alert) => {
        const title = alert.title.toLowerCase();
        return condition.containsAny.some((part) => title.includes(part.toLowerCase()));
      });
    case 'field':
      return evaluateField(condition.operator, valueAt(context.data, condition.path), condition.value);
  }
}

/** A short human reading of a condition, for skip reasons and the playbook list. */
export function describeCondition(condition: Condition): string {
  const list = (values: readonly unknown[]) => values.map((value) => String(value)).join(', ');
  switch (condition.kind) {
    case 'all':
      return condition.conditions.map(describeCondition).join(' and ');
    case 'any':
      return `(${condition.conditions.map(describeCondition).join(' or ')})`;
    case 'not':
      return `not (${describeCondition(condition.condition)})`;
    case 'severity':
      return [
        condition.atLeast !== null ? `severity at least ${condition.atLeast}` : null,
        condition.oneOf.length > 0 ? `severity one of ${list(condition.oneOf)}` : null,
      ]
        .filter((part) => part !== null)
        .join(' and ');
    case 'status':
      return `status one of ${list(condition.oneOf)}`;
    case 'entity': {
      const parts = [
        condition.types.length > 0 ? `of type ${list(condition.types)}` : null,
        condition.roles.length > 0 ? `with role ${list(condition.roles)}` : null,
        condition.values.length > 0 ? `with value ${list(condition.values)}` : null,
        condition.patterns.length > 0 ? `matching ${list(condition.patterns)}` : null,
      ].filter((part) => part !== null);
      return `an entity${parts.length > 0 ? ` ${parts.join(' ')}` : ''}`;
    }
    case 'tag':
      return `tagged ${list(condition.anyOf)}`;
    case 'source_format':
      return `an alert from ${list(condition.anyOf)}`;
    case 'rule':
      return `rule ${list(condition.anyOf)} matched`;
    case 'tactic':
      return `an alert with tactic ${list(condition.anyOf)}`;
    case 'technique':
      return `an alert with technique ${list(condition.anyOf)}`;
    case 'alert_title':
      return `an alert titled with ${condition.containsAny.map((part) => JSON.stringify(part)).join(', ')}`;
    case 'field':
      return condition.operator === 'exists'
        ? `${condition.path.join('.')} ${condition.value === true ? 'is set' : 'is not set'}`
        : `${condition.path.join('.')} ${condition.operator.replace('_', ' ')} ${JSON.stringify(condition.value)}`;
  }
}

/** `unknown` ranks below every known level: no `at_least` holds for it. */
function rank(severity: SeverityName | 'unknown'): number {
  return SEVERITY_NAMES.indexOf(severity as SeverityName);
}

// T1110 matches T1110 and T1110.004, never T11100.
function isSameOrSub(id: string, wanted: string): boolean {
  return id === wanted || (id.startsWith(wanted) && id[wanted.length] === '.');
}

/** The value at `path` in plain data (own properties only), or undefined. */
export function valueAt(data: unknown, path: readonly string[]): unknown {
  let current = data;
  for (const segment of path) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (isRecord(current) && Object.prototype.hasOwnProperty.call(current, segment)) {
      current = current[segment];
    } else return undefined;
  }
  return current;
}

function evaluateField(operator: FieldOperator, actual: unknown, expected: unknown): boolean {
  switch (operator) {
    case 'exists':
      return (actual !== undefined && actual !== null) === (expected === true);
    case 'equals':
      return sameScalar(actual, expected);
    case 'one_of':
      return Array.isArray(expected) && expected.some((candidate) => sameScalar(actual, candidate));
    case 'matches':
      return (
        (typeof actual === 'string' || typeof actual === 'number') &&
        Array.isArray(expected) &&
        expected.some((pattern) => typeof pattern === 'string' && matchesGlob(String(actual), pattern))
      );
    case 'contains':
      if (Array.isArray(actual)) return actual.some((item) => sameScalar(item, expected));
      return (
        typeof actual === 'string' &&
        typeof expected === 'string' &&
        actual.toLowerCase().includes(expected.toLowerCase())
      );
    case 'at_least':
      return typeof actual === 'number' && typeof expected === 'number' && actual >= expected;
    case 'at_most':
      return typeof actual === 'number' && typeof expected === 'number' && actual <= expected;
    case 'in_cidr':
      return typeof actual === 'string' && Array.isArray(expected) && inCidr(actual, expected as string[]);
  }
}

/** Whether `address` is an IP address inside one of `cidrs` (`10.0.0.0/8`, `fc00::/7`). */
export function inCidr(address: string, cidrs: readonly string[]): boolean {
  const version = isIP(address);
  if (version === 0) return false;
  const list = new BlockList();
  for (const cidr of cidrs) {
    const subnet = parseCidr(cidr);
    if (subnet !== null) list.addSubnet(subnet.address, subnet.prefix, subnet.family);
  }
  return list.check(address, version === 6 ? 'ipv6' : 'ipv4');
}

/** `10.0.0.0/8` as its parts, or null when it is not a CIDR block. */
export function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, prefixText, extra] = cidr.trim().split('/');
  if (
    address === undefined ||
    prefixText === undefined ||
    extra !== undefined ||
    !/^\d{1,3}$/.test(prefixText)
  ) {
    return null;
  }
  const version = isIP(address);
  const prefix = Number(prefixText);
  if (version === 0 || prefix > (version === 6 ? 128 : 32)) return null;
  return { address, prefix, family: version === 6 ? 'ipv6' : 'ipv4' };
}

// Strings compare case-insensitively: entity values, verdicts and statuses are words, not secrets.
function sameScalar(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') {
    return actual.toLowerCase() === expected.toLowerCase();
  }
  return actual === expected;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
