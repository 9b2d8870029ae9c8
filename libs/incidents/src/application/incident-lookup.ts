import type { AlertEntity } from '@rampart/alerts';
import type { SqlExecutor } from '@rampart/database';

/** Where to look for stored alerts related to new ones: a key and a time span. */
export interface RelationProbe {
  alertId: string;
  key: string;
  fromMs: number;
  toMs: number;
}

/** A stored alert of an open incident, as correlation rules read it. */
export interface OpenIncidentAlert {
  id: string;
  time: Date;
  severityId: number;
  title: string;
  source: string;
  entities: AlertEntity[];
  tactics: { id: string | null }[];
  techniques: { id: string }[];
  incidentId: string;
}

/** One change of open-incident membership, as `IncidentWriter.recordMembershipChange` wrote it. */
export interface MembershipChange {
  version: number;
  /** Alerts the change added to open incidents. */
  alertIds: string[];
  merges: { merged: string; survivor: string }[];
  /** Membership changed otherwise (an incident left or re-entered an open status). */
  everything: boolean;
}

/** What correlation reads of incidents, in the caller's transaction (after lockMembership). */
export abstract class IncidentLookup {
  /**
   * For each probe, the open incidents holding an alert on the probe's key within its span:
   * the incidents the probe's alert relates to, with their numbers.
   */
  abstract relatedOpenIncidents(
    sql: SqlExecutor,
    probes: RelationProbe[],
  ): Promise<{ alertId: string; incidentId: string; incidentNumber: number }[]>;

  /** Incident numbers (creation order): the oldest incident survives a merge. */
  abstract incidentNumbers(sql: SqlExecutor, ids: string[]): Promise<{ id: string; number: number }[]>;

  /** The alerts of open incidents carrying one of `keys` with an event time in [from, to]. */
  abstract openIncidentAlerts(
    sql: SqlExecutor,
    keys: string[],
    from: Date,
    to: Date,
  ): Promise<OpenIncidentAlert[]>;

  /** The alerts among `ids` that are in open incidents, as `openIncidentAlerts` returns them. */
  abstract openIncidentAlertsById(sql: SqlExecutor, ids: string[]): Promise<OpenIncidentAlert[]>;

  /** The recorded membership changes with versions in [from, to], in version order. */
  abstract membershipChanges(sql: SqlExecutor, from: number, to: number): Promise<MembershipChange[]>;
}
