export const PASSWORD_MIN_LENGTH = 12;
/** argon2 hashes anything, but a megabyte of password is a denial of service, not a password. */
export const PASSWORD_MAX_LENGTH = 256;

/** Why `password` may not be used, or null. Length is what matters (NIST SP 800-63B 3.1.1.2). */
export function passwordProblem(password: string, username?: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (new Set(password).size < 4) return 'must not repeat a few characters';
  if (username !== undefined && password.toLowerCase().includes(username.toLowerCase())) {
    return 'must not contain the username';
  }
  return null;
}
