/** What changed about an incident: one row of the outbox per change, in the change's transaction. */
export const INCIDENT_EVENT_KINDS = [
  'created',
  /** Alerts were added. */
  'updated',
  'merged',
  'status_changed',
  'severity_changed',
  'assignee_changed',
  'rule_matched',
  'commented',
] as const;
export type IncidentEventKind = (typeof INCIDENT_EVENT_KINDS)[number];

export interface IncidentEvent {
  /** Order of appending; readers order by (transaction, seq), see IncidentEventFeed. */
  seq: string;
  incidentId: string;
  kind: IncidentEventKind;
  /** What changed, small: from/to, counts, the rule id, the other incident of a merge. */
  payload: Record<string, unknown>;
  /** `correlation`, or the name of the API key or user that made the change. */
  actor: string;
  at: string;
}

/** An event about to be appended. */
export interface IncidentEventDraft {
  incidentId: string;
  kind: IncidentEventKind;
  payload: Record<string, unknown>;
}
