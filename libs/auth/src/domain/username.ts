/** Usernames are lower-case, so `Alice` and `alice` are one account; e-mail addresses fit. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@+-]{0,127}$/;

/** The account name `raw` stands for, or null when it cannot be one. */
export function normalizeUsername(raw: string): string | null {
  const name = raw.trim().toLowerCase();
  return USERNAME_PATTERN.test(name) ? name : null;
}
