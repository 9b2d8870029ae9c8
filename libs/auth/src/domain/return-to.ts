/**
 * Where to send a browser after sign-in: a path on this server only. Anything else (another
 * origin, `//host`, `/\host`, control characters) becomes `/`, so sign-in cannot be used to
 * redirect a user to a look-alike site.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  return value;
}
