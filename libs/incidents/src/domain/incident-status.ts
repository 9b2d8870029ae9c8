export const INCIDENT_STATUSES = [
  'new',
  'acknowledged',
  'contained',
  'resolved',
  'closed',
  'merged',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuses an analyst may set; `merged` is only ever set by correlation. */
export const SETTABLE_STATUSES = ['new', 'acknowledged', 'contained', 'resolved', 'closed'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/**
 * The incident lifecycle (NIST SP 800-61: detection, containment, eradication/recovery,
 * post-incident). Resolved incidents may be reopened; closed and merged ones are final.
 */
const TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  new: ['acknowledged', 'contained', 'resolved', 'closed'],
  acknowledged: ['contained', 'resolved', 'closed'],
  contained: ['resolved', 'closed'],
  resolved: ['acknowledged', 'closed'],
  closed: [],
  merged: [],
};

export function allowedTransitions(from: IncidentStatus): readonly IncidentStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

const LIFECYCLE_ORDER: Record<IncidentStatus, number> = {
  new: 0,
  acknowledged: 1,
  contained: 2,
  resolved: 3,
  closed: 4,
  merged: 5,
};

/** Whether `to` lies further along the lifecycle than `from` (reopening a resolved one does not). */
export function isForward(from: IncidentStatus, to: IncidentStatus): boolean {
  return LIFECYCLE_ORDER[to] > LIFECYCLE_ORDER[from];
}

/** Which lifecycle timestamp a status sets the first time it is reached. */
export const STATUS_TIMESTAMP: Partial<
  Record<IncidentStatus, 'acknowledged_at' | 'contained_at' | 'resolved_at' | 'closed_at'>
> = {
  acknowledged: 'acknowledged_at',
  contained: 'contained_at',
  resolved: 'resolved_at',
  closed: 'closed_at',
};

/** Open incidents take new alerts; the others don't. */
export const OPEN_STATUSES: readonly IncidentStatus[] = ['new', 'acknowledged', 'contained'];
