import { type PathSegment, valueAtPath } from './yaml-locations';

/** A schema issue as someone editing the YAML reads it: a field too many, one missing, one wrong. */
export interface FieldIssue {
  kind: 'unknown_field' | 'missing_field' | 'invalid_field';
  path: PathSegment[];
  message: string;
}

/** The shape of a zod issue this needs (zod's own type is not a dependency here). */
export interface SchemaIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
}

/**
 * Classifies a schema issue against the value that was parsed: an unrecognized key is an unknown
 * field (one per key), an issue where `raw` holds nothing is a missing field, anything else is an
 * invalid field with the schema's message.
 */
export function fieldIssues(issue: SchemaIssue, raw: unknown): FieldIssue[] {
  const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return (issue.keys ?? []).map((key) => ({
      kind: 'unknown_field',
      path: [...path, key],
      message: `unknown field "${key}"`,
    }));
  }
  if (valueAtPath(raw, path) === undefined) {
    return [{ kind: 'missing_field', path, message: 'missing required field' }];
  }
  return [{ kind: 'invalid_field', path, message: issue.message }];
}

/**
 * For a union no alternative of which matched (`a duration or a list`): the issues of the
 * alternative that got furthest, with absolute paths, so the report says what was wrong inside
 * it rather than "no alternative matched". Furthest is the deepest path, and past the type checks
 * to custom validation on a tie; null when no alternative got anywhere.
 */
export function furthestAlternative<T extends SchemaIssue>(
  path: readonly PropertyKey[],
  alternatives: readonly (readonly T[])[],
): T[] | null {
  const progress = (issues: readonly T[]) =>
    Math.max(0, ...issues.map((inner) => inner.path.length * 2 + (inner.code === 'custom' ? 1 : 0)));
  const furthest = alternatives.reduce<readonly T[]>(
    (best, issues) => (progress(issues) > progress(best) ? issues : best),
    [],
  );
  if (progress(furthest) === 0) return null;
  return furthest.map((inner) => ({ ...inner, path: [...path, ...inner.path] }));
}
