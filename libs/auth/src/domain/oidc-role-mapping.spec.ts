import { compileRoleMappings, readClaim, roleFromClaims } from './oidc-role-mapping';

describe('OIDC role mapping', () => {
  const { mappings } = compileRoleMappings([
    { value: 'soc-admins', role: 'admin' },
    { value: 'soc-responders', role: 'responder' },
    { value: 'soc-analysts', role: 'analyst' },
  ]);

  it('gives the first mapped role the claim holds, in configuration order', () => {
    expect(
      roleFromClaims({ groups: ['soc-analysts', 'soc-responders'] }, 'groups', mappings, undefined),
    ).toBe('responder');
    expect(roleFromClaims({ groups: 'soc-analysts' }, 'groups', mappings, undefined)).toBe('analyst');
  });

  it('falls back to the default role, else to none', () => {
    expect(roleFromClaims({ groups: ['finance'] }, 'groups', mappings, 'viewer')).toBe('viewer');
    expect(roleFromClaims({ groups: ['finance'] }, 'groups', mappings, undefined)).toBeUndefined();
    expect(roleFromClaims({}, 'groups', mappings, undefined)).toBeUndefined();
  });

  it('reads nested claims by a dotted name, and the dotted name as a key first', () => {
    const keycloak = { realm_access: { roles: ['soc-admins'] } };
    expect(roleFromClaims(keycloak, 'realm_access.roles', mappings, undefined)).toBe('admin');
    expect(readClaim({ 'https://example.com/roles': 'x' }, 'https://example.com/roles')).toBe('x');
  });

  it('never reads inherited properties', () => {
    expect(readClaim({}, 'constructor')).toBeUndefined();
    expect(readClaim({ a: {} }, 'a.__proto__')).toBeUndefined();
  });

  it('names mapped roles that do not exist, ingest included', () => {
    const compiled = compileRoleMappings([
      { value: 'siem', role: 'ingest' },
      { value: 'x', role: 'superuser' },
    ]);
    expect(compiled.mappings).toEqual([]);
    expect(compiled.problems).toEqual([
      '"ingest" (for "siem") is not a user role',
      '"superuser" (for "x") is not a user role',
    ]);
  });
});
