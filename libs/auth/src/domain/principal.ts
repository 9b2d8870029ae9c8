/**
 * Who may work in Rampart. People get one of the first five; `ingest` is for SIEMs and
 * forwarders that only send alerts.
 * - viewer: reads incidents, alerts, actions, playbooks and runs;
 * - analyst: a viewer who triages (incident changes, comments), sends alerts and starts playbooks;
 * - responder: an analyst who contains (actions, rollbacks), decides approvals and cancels runs;
 * - auditor: reads everything, verifies the audit trail and makes reports; changes nothing else;
 * - admin: everything, including users, keys, connectors and protected assets.
 */
export const ROLES = ['viewer', 'analyst', 'responder', 'auditor', 'admin', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/** The roles a person (a user account) may hold: every role but `ingest`, which is for machines. */
export const USER_ROLES = ['viewer', 'analyst', 'responder', 'auditor', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export function isUserRole(value: string): value is UserRole {
  return (USER_ROLES as readonly string[]).includes(value);
}

/** A caller authenticated by an API key (`Authorization: Bearer`): SIEMs, scripts, automation. */
export interface ApiKeyPrincipal {
  kind: 'api_key';
  id: string;
  name: string;
  role: Role;
}

/** A person signed in to the console: authenticated by a session cookie. */
export interface UserPrincipal {
  kind: 'user';
  /** The user account's id. */
  id: string;
  /** The username. */
  name: string;
  role: UserRole;
  /** The session row's id (not its secret). */
  sessionId: string;
  /** What a state change made with this session must carry (X-CSRF-Token or `_csrf`). */
  csrfToken: string;
  /** When the session ends whatever its use (absolute timeout). */
  sessionExpiresAt: Date;
}

/** Who is calling: resolved from an API key or a console session before the body is read. */
export type Principal = ApiKeyPrincipal | UserPrincipal;
