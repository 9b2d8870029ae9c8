import { AppConfig, ConfigError } from '@rampart/config';

import type { ThrottlePolicy } from '../domain/login-throttle';
import { compileRoleMappings, type RoleMapping } from '../domain/oidc-role-mapping';
import { isUserRole, type UserRole } from '../domain/principal';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  redirectUrl: string;
  scopes: string;
  usernameClaim: string;
  roleClaim: string;
  roleMappings: RoleMapping[];
  defaultRole: UserRole | undefined;
  /** `auto`: unknown users are created (with a mapped role); `existing`: only users an admin created. */
  provisioning: 'auto' | 'existing';
}

/** What authentication needs from the configuration, checked once at start. */
export class AuthSettings {
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  readonly accountThrottle: ThrottlePolicy;
  readonly addressThrottle: ThrottlePolicy;
  readonly oidc: OidcSettings | null;

  constructor(config: AppConfig) {
    const env = config.env;
    this.sessionIdleMs = env.SOAR_SESSION_IDLE_TIMEOUT;
    this.sessionAbsoluteMs = env.SOAR_SESSION_ABSOLUTE_TIMEOUT;
    const window = { windowMs: env.SOAR_LOGIN_LOCKOUT, lockoutMs: env.SOAR_LOGIN_LOCKOUT };
    this.accountThrottle = { maxFailures: env.SOAR_LOGIN_MAX_FAILURES, ...window };
    this.addressThrottle = { maxFailures: env.SOAR_LOGIN_MAX_FAILURES_PER_ADDRESS, ...window };
    this.oidc = AuthSettings.oidcOf(config);
  }

  get sessionIdleSeconds(): number {
    return Math.max(1, Math.round(this.sessionIdleMs / 1000));
  }

  get sessionAbsoluteSeconds(): number {
    return Math.max(1, Math.round(this.sessionAbsoluteMs / 1000));
  }

  /** A role map naming a role that does not exist stops the start, naming the variable. */
  private static oidcOf(config: AppConfig): OidcSettings | null {
    const env = config.env;
    if (!env.SOAR_OIDC_ISSUER || !env.SOAR_OIDC_CLIENT_ID || !env.SOAR_OIDC_REDIRECT_URL) return null;
    const { mappings, problems } = compileRoleMappings(env.SOAR_OIDC_ROLE_MAP);
    const issues = problems.map((message) => ({ variable: 'SOAR_OIDC_ROLE_MAP', message }));
    const defaultRole = env.SOAR_OIDC_DEFAULT_ROLE;
    if (defaultRole !== undefined && !isUserRole(defaultRole)) {
      issues.push({ variable: 'SOAR_OIDC_DEFAULT_ROLE', message: `"${defaultRole}" is not a user role` });
    }
    if (issues.length > 0) throw new ConfigError(issues);
    return {
      issuer: env.SOAR_OIDC_ISSUER,
      clientId: env.SOAR_OIDC_CLIENT_ID,
      clientSecret: env.SOAR_OIDC_CLIENT_SECRET,
      redirectUrl: env.SOAR_OIDC_REDIRECT_URL,
      scopes: env.SOAR_OIDC_SCOPES,
      usernameClaim: env.SOAR_OIDC_USERNAME_CLAIM,
      roleClaim: env.SOAR_OIDC_ROLE_CLAIM,
      roleMappings: mappings,
      defaultRole: defaultRole as UserRole | undefined,
      provisioning: env.SOAR_OIDC_PROVISIONING,
    };
  }
}
