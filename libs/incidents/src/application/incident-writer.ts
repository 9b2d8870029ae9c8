import type { AuditActor } from '@rampart/audit';
import type { SqlExecutor } from '@rampart/database';

import type { IncidentStatus } from '../domain/incident-status';

export interface NewIncident {
  id: string;
  title: string;
  severityId: number;
  firstSeen: Date;
  lastSeen: Date;
  alertIds: string[];
}

export interface AlertAddition {
  incidentId: string;
  alertIds: string[];
}

export interface IncidentMerge {
  merged: string;
  survivor: string;
}

export interface RuleMatchRecord {
  incidentId: string;
  ruleId: string;
  groupKey: string;
  ruleName: string;
  severityId: number;
  summary: string;
  alertIds: string[];
  firstTime: Date;
  lastTime: Date;
}

/** Something done for an incident elsewhere (a playbook run, an approval), for its timeline. */
export interface IncidentActivity {
  incidentId: string;
  /** `run_started`, `approval_decided`, `action_executed`... */
  kind: string;
  message: string;
  data: Record<string, unknown>;
}

/** One analyst change, prepared by the use case (which checks the lifecycle). */
export type IncidentChange =
  | { kind: 'status_changed'; from: IncidentStatus; to: IncidentStatus; message: string }
  | { kind: 'assignee_changed'; from: string | null; to: string | null; message: string }
  | { kind: 'severity_changed'; from: number; to: number; message: string };

export interface IncidentComment {
  id: string;
  author: string;
  body: string;
  createdAt: string;
}

/**
 * The only writer of the incident tables (incident, incident_alert, incident_entity,
 * incident_rule_match, incident_timeline, incident_comment, incident_event). Every method runs in
 * the caller's transaction, writes set-based, and appends to the timeline and the incident_event
 * outbox in that same transaction, with a NOTIFY that PostgreSQL delivers at commit.
 */
export abstract class IncidentWriter {
  /**
   * Serializes the changes of which alerts belong to which open incidents, until the transaction
   * ends: batches from several processes correlate one after another, each seeing what the
   * previous committed. Returns the membership version this transaction commits: one more than
   * the last committed, so a cache of open-incident alerts built up to `version - 1` still holds.
   */
  abstract lockMembership(sql: SqlExecutor): Promise<number>;

  /**
   * Appends the audit entries of the batch changes made so far in this transaction (openIncidents,
   * addAlerts, merge, recordRuleMatches, refreshAggregates): one `incident.created`,
   * `incident.updated` or `incident.merged` per incident and change, with one `recordAll` (two
   * statements, however large the batch). Call it last in the transaction: appending locks the
   * audit chain head until commit. Nothing is written when the batch changed nothing.
   */
  abstract auditBatch(sql: SqlExecutor, actor: AuditActor): Promise<void>;

  /**
   * Records what the transaction holding `lockMembership`'s `version` changed: the alerts it
   * added to open incidents and the merges it made, for other processes to catch up with.
   */
  abstract recordMembershipChange(
    sql: SqlExecutor,
    version: number,
    alertIds: string[],
    merges: IncidentMerge[],
  ): Promise<void>;

  /**
   * Opens incidents with their first alerts: timeline `opened`, event `created`. Returns the
   * number each was given.
   */
  abstract openIncidents(
    sql: SqlExecutor,
    incidents: NewIncident[],
    actor: string,
  ): Promise<{ id: string; number: number }[]>;

  /** Adds alerts to existing incidents: timeline `alerts_added`, event `updated`. */
  abstract addAlerts(sql: SqlExecutor, additions: AlertAddition[], actor: string): Promise<void>;

  /** Moves everything of each merged incident into its survivor and marks it merged; the count. */
  abstract merge(sql: SqlExecutor, merges: IncidentMerge[], actor: string): Promise<number>;

  /**
   * Records rule matches (a match that exists grows by its alerts); returns how many were new,
   * each with timeline and event `rule_matched`.
   */
  abstract recordRuleMatches(sql: SqlExecutor, matches: RuleMatchRecord[], actor: string): Promise<number>;

  /**
   * Raises severity as the evidence says (`severity_changed`); counts and time span are kept as
   * alerts join and incidents merge.
   */
  abstract refreshAggregates(sql: SqlExecutor, incidentIds: string[], actor: string): Promise<void>;

  /** Locks one incident for a change; null when there is none. */
  abstract lockIncident(
    sql: SqlExecutor,
    incidentId: string,
  ): Promise<{ status: IncidentStatus; assignee: string | null; severityId: number } | null>;

  /** Applies analyst changes to a locked incident, audited as one `incident.updated` (before / after). */
  abstract applyChanges(
    sql: SqlExecutor,
    incidentId: string,
    changes: IncidentChange[],
    actor: string,
    /** Who the audit trail names: the caller of the current request when absent. */
    auditActor?: AuditActor,
  ): Promise<void>;

  /**
   * Writes what other contexts did for incidents (playbook runs and steps, approvals) into their
   * timelines. Not a change of the incident itself: no incident_event.
   */
  abstract recordActivity(sql: SqlExecutor, activities: IncidentActivity[], actor: string): Promise<void>;

  /** Adds a comment (audited `incident.commented`); null when there is no such incident. */
  abstract addComment(
    sql: SqlExecutor,
    incidentId: string,
    author: string,
    body: string,
    /** Who the audit trail names: the caller of the current request when absent. */
    auditActor?: AuditActor,
  ): Promise<IncidentComment | null>;
}
