export const ROLES = ['admin', 'analyst', 'auditor', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from an API key (or, later, a console session). */
export interface Principal {
  kind: 'api_key';
  id: string;
  name: string;
  role: Role;
}

/** admin may do everything; the others only what a route lists for them. */
export function roleAllows(role: Role, allowed: readonly Role[]): boolean {
  return role === 'admin' || allowed.includes(role);
}
