/**
 * The value of cookie `name` in a Cookie header, or undefined. Only our own cookies are read, and
 * their values are base64url or our sealed envelopes, so no decoding is needed.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
