import type { ReportSection } from '../report-document';

/** Anyone or anything that can sign in: API keys today, users when they exist (one more source). */
export interface PrincipalFacts {
  kind: string;
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AccessReviewFacts {
  principals: PrincipalFacts[];
  /** Failed logins in the period, by the name given. */
  failedLogins: { name: string; count: number; last: string }[];
  /** Changes to principals and roles in the period (from the audit trail). */
  changes: { at: string; action: string; actor: string; target: string }[];
}

/** Active principals unused for this long are flagged for review. */
export const STALE_AFTER_MS = 90 * 86_400_000;

export function accessReviewSections(facts: AccessReviewFacts, asOf: Date): ReportSection[] {
  const roles: Record<string, number> = {};
  for (const principal of facts.principals) {
    if (principal.revokedAt === null) roles[principal.role] = (roles[principal.role] ?? 0) + 1;
  }
  const status = (principal: PrincipalFacts) => {
    if (principal.revokedAt !== null) return 'revoked';
    const lastActive = Date.parse(principal.lastUsedAt ?? principal.createdAt);
    return asOf.getTime() - lastActive > STALE_AFTER_MS ? 'stale' : 'active';
  };
  return [
    {
      id: 'roles',
      heading: 'Active principals by role',
      chart: {
        title: 'Active principals, by role',
        unit: 'principals',
        bars: Object.entries(roles).map(([label, value]) => ({ label, value })),
      },
    },
    {
      id: 'principals',
      heading: 'Users and API keys',
      note: 'Stale: active but unused for 90 days or more; review whether it is still needed.',
      table: {
        columns: [
          { key: 'kind', label: 'Kind' },
          { key: 'name', label: 'Name' },
          { key: 'role', label: 'Role' },
          { key: 'createdAt', label: 'Created' },
          { key: 'lastUsedAt', label: 'Last used' },
          { key: 'status', label: 'Status' },
        ],
        rows: facts.principals.map((principal) => ({
          kind: principal.kind,
          name: principal.name,
          role: principal.role,
          createdAt: principal.createdAt,
          lastUsedAt: principal.lastUsedAt ?? 'never',
          status: status(principal),
        })),
      },
    },
    {
      id: 'failed-logins',
      heading: 'Failed logins',
      table: {
        columns: [
          { key: 'name', label: 'Name given' },
          { key: 'count', label: 'Failures' },
          { key: 'last', label: 'Last' },
        ],
        rows: facts.failedLogins,
      },
    },
    {
      id: 'changes',
      heading: 'Changes to access',
      table: {
        columns: [
          { key: 'at', label: 'When' },
          { key: 'action', label: 'Change' },
          { key: 'actor', label: 'By' },
          { key: 'target', label: 'Whom' },
        ],
        rows: facts.changes,
      },
    },
  ];
}
