import { type Permission, type Role, roleHas } from '@rampart/auth';

export interface NavEntry {
  href: string;
  label: string;
  current: boolean;
}

/** The console's sections, each shown only to the roles that may open it. */
export const SECTIONS: { href: string; label: string; permission: Permission }[] = [
  { href: '/', label: 'Incidents', permission: 'incidents:read' },
  { href: '/overview', label: 'Overview', permission: 'incidents:read' },
  { href: '/approvals', label: 'Approvals', permission: 'runs:read' },
  { href: '/actions', label: 'Containment', permission: 'actions:read' },
  { href: '/playbooks', label: 'Playbooks', permission: 'playbooks:read' },
  { href: '/reports', label: 'Reports', permission: 'reports:read' },
  { href: '/audit', label: 'Audit', permission: 'audit:read' },
  { href: '/admin/users', label: 'Users', permission: 'users:read' },
  { href: '/admin/api-keys', label: 'API keys', permission: 'api_keys:read' },
  { href: '/admin/connectors', label: 'Connectors', permission: 'connectors:read' },
  { href: '/admin/protected-assets', label: 'Protected assets', permission: 'protected_assets:read' },
];

export function navigation(role: Role, current: string): NavEntry[] {
  return SECTIONS.filter((section) => roleHas(role, section.permission)).map((section) => ({
    href: section.href,
    label: section.label,
    current: section.href === current,
  }));
}
