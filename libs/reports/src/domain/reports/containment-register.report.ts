import type { ReportSection } from '../report-document';

/** One containment action requested in the period, as the register lists it. */
export interface ContainmentFacts {
  id: string;
  requestedAt: string;
  operation: string;
  target: string;
  connector: string;
  incidentNumber: number | null;
  requestedBy: string;
  /** Who approved it, when an approval gate did; null when none was needed. */
  approvedBy: string | null;
  state: string;
  outcome: string | null;
  expiresAt: string | null;
  completedAt: string | null;
  rolledBackAt: string | null;
  /** For an undo: the action it undid. */
  rollbackOf: string | null;
  errorCode: string | null;
}

export interface ContainmentRegister {
  actions: number;
  byState: Record<string, number>;
  byOperation: Record<string, number>;
}

export function containmentRegister(actions: readonly ContainmentFacts[]): ContainmentRegister {
  const count = (key: (action: ContainmentFacts) => string) => {
    const counts: Record<string, number> = {};
    for (const action of actions) counts[key(action)] = (counts[key(action)] ?? 0) + 1;
    return counts;
  };
  return {
    actions: actions.length,
    byState: count((action) => action.state),
    byOperation: count((action) => action.operation),
  };
}

export function containmentRegisterSections(
  register: ContainmentRegister,
  actions: readonly ContainmentFacts[],
): ReportSection[] {
  return [
    {
      id: 'operations',
      heading: 'Actions by operation',
      chart: {
        title: 'Containment actions, by operation',
        unit: 'actions',
        bars: Object.entries(register.byOperation).map(([label, value]) => ({ label, value })),
      },
    },
    {
      id: 'register',
      heading: 'Register',
      note: 'Every action requested in the period: target, requester, approver, outcome, expiry and rollback.',
      table: {
        columns: [
          { key: 'requestedAt', label: 'Requested' },
          { key: 'operation', label: 'Operation' },
          { key: 'target', label: 'Target' },
          { key: 'connector', label: 'Connector' },
          { key: 'incident', label: 'Incident' },
          { key: 'requestedBy', label: 'Requested by' },
          { key: 'approvedBy', label: 'Approved by' },
          { key: 'state', label: 'State' },
          { key: 'outcome', label: 'Outcome' },
          { key: 'expiresAt', label: 'Expires' },
          { key: 'rolledBackAt', label: 'Rolled back' },
          { key: 'rollbackOf', label: 'Undoes' },
          { key: 'error', label: 'Error' },
        ],
        rows: actions.map((action) => ({
          requestedAt: action.requestedAt,
          operation: action.operation,
          target: action.target,
          connector: action.connector,
          incident: action.incidentNumber === null ? null : `#${action.incidentNumber}`,
          requestedBy: action.requestedBy,
          approvedBy: action.approvedBy,
          state: action.state,
          outcome: action.outcome,
          expiresAt: action.expiresAt,
          rolledBackAt: action.rolledBackAt,
          rollbackOf: action.rollbackOf,
          error: action.errorCode,
        })),
      },
    },
  ];
}
