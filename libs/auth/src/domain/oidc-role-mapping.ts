import { isUserRole, type UserRole } from './principal';

export interface RoleMapping {
  /** A value of the role claim (a group name, an app role). */
  value: string;
  role: UserRole;
}

/** Reads SOAR_OIDC_ROLE_MAP's pairs; problems name the role that does not exist. */
export function compileRoleMappings(pairs: { value: string; role: string }[]): {
  mappings: RoleMapping[];
  problems: string[];
} {
  const mappings: RoleMapping[] = [];
  const problems: string[] = [];
  for (const pair of pairs) {
    if (isUserRole(pair.role)) mappings.push({ value: pair.value, role: pair.role });
    else problems.push(`"${pair.role}" (for "${pair.value}") is not a user role`);
  }
  return { mappings, problems };
}

/**
 * A claim by name; a dotted name reads nested objects (`realm_access.roles`) unless the IdP uses
 * the dotted name as a key itself. Own properties only.
 */
export function readClaim(claims: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, part)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The role the IdP's claims give: the first mapping (in configuration order, so list the most
 * privileged first) whose value the role claim holds, else the default role, else none.
 */
export function roleFromClaims(
  claims: Record<string, unknown>,
  claimName: string,
  mappings: readonly RoleMapping[],
  defaultRole: UserRole | undefined,
): UserRole | undefined {
  const raw = readClaim(claims, claimName);
  const held = new Set(
    (Array.isArray(raw) ? raw : [raw]).filter((item): item is string => typeof item === 'string'),
  );
  return mappings.find((mapping) => held.has(mapping.value))?.role ?? defaultRole;
}
