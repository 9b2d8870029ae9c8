import { invalidRequest } from './connector-error';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Check one value that goes into a URL path and percent-encode it. Values come from playbook
 * parameters and so, indirectly, from alerts: anything that looks like a URL, a traversal or an
 * absolute path is refused rather than encoded, so a mistake is loud.
 */
export function pathSegment(value: string | number, field = 'parameter'): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || text.length === 0 || text.length > 512) {
    throw invalidRequest(`${field} must be a non-empty string of at most 512 characters`);
  }
  if (CONTROL.test(text)) throw invalidRequest(`${field} must not contain control characters`);
  if (text.includes('..')) throw invalidRequest(`${field} must not contain '..'`);
  if (SCHEME.test(text) && text.includes('//')) throw invalidRequest(`${field} must not be a URL`);
  if (text.startsWith('/') || text.startsWith('\\')) {
    throw invalidRequest(`${field} must not be an absolute path`);
  }
  return encodeURIComponent(text);
}

/**
 * Tagged template that builds a path from literal parts we wrote and encoded parameter values:
 * path`/api/v1/users/${userId}/sessions`.
 */
export function path(literals: TemplateStringsArray, ...values: Array<string | number>): string {
  let out = literals[0] ?? '';
  values.forEach((value, index) => {
    out += pathSegment(value) + (literals[index + 1] ?? '');
  });
  return out;
}
