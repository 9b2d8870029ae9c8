import type { Role } from './principal';

/**
 * The permission matrix: every permission a route can require, and the roles that hold it besides
 * admin (who holds them all). The one place that says who may do what; a route names the
 * permission it needs with `@RequirePermission`, and the route x role test checks every route
 * against this table.
 */
export const PERMISSION_MATRIX = {
  /** Who am I: any authenticated caller. */
  'self:read': ['viewer', 'analyst', 'responder', 'auditor', 'ingest'],
  /** Change one's own password: people only (an API key has none). */
  'self:update': ['viewer', 'analyst', 'responder', 'auditor'],
  'alerts:ingest': ['ingest', 'analyst', 'responder'],
  'alerts:read': ['viewer', 'analyst', 'responder', 'auditor'],
  'incidents:read': ['viewer', 'analyst', 'responder', 'auditor'],
  'incidents:update': ['analyst', 'responder'],
  'incidents:comment': ['analyst', 'responder'],
  'actions:read': ['viewer', 'analyst', 'responder', 'auditor'],
  /** Asks the vendor now: a live call, so viewers (the widest role) do not get it. */
  'actions:vendor_state': ['analyst', 'responder', 'auditor'],
  'actions:execute': ['responder'],
  'actions:rollback': ['responder'],
  'playbooks:read': ['viewer', 'analyst', 'responder', 'auditor'],
  'playbooks:validate': ['analyst', 'responder'],
  'runs:read': ['viewer', 'analyst', 'responder', 'auditor'],
  /** Start a playbook by hand, or dry-run one; what it contains still meets guardrails and approvals. */
  'runs:start': ['analyst', 'responder'],
  'runs:cancel': ['responder'],
  'runs:approve': ['responder'],
  'protected_assets:read': ['analyst', 'responder', 'auditor'],
  'protected_assets:manage': [],
  'connectors:read': [],
  'connectors:manage': [],
  'intake_sources:manage': [],
  'audit:read': ['auditor'],
  'reports:read': ['auditor'],
  'reports:generate': ['auditor'],
  'report_schedules:manage': [],
  'users:read': ['auditor'],
  'users:manage': [],
  'api_keys:read': ['auditor'],
  'api_keys:manage': [],
  'metrics:read': ['analyst', 'responder', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSION_MATRIX;
export const PERMISSIONS = Object.keys(PERMISSION_MATRIX) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSION_MATRIX, value);
}

/** Whether `role` holds `permission`: admin holds every permission. */
export function roleHas(role: Role, permission: Permission): boolean {
  return role === 'admin' || (PERMISSION_MATRIX[permission] as readonly Role[]).includes(role);
}

/** The roles that hold `permission`, admin included, for error messages and documentation. */
export function rolesWith(permission: Permission): Role[] {
  return ['admin', ...(PERMISSION_MATRIX[permission] as readonly Role[])];
}
