import type { AlertFormat, AlertSeverityName, EntityRole, EntityType } from '@rampart/alerts';
import type { Capability } from '@rampart/connectors';
import type { IncidentStatus } from '@rampart/incidents';

/**
 * What a playbook sees of an incident: read once when a run starts (and when a trigger is
 * evaluated), carried in the run's state, and the data its conditions and templates work on.
 * Plain JSON: times are ISO-8601 strings.
 */
export interface IncidentSnapshot {
  incident: {
    id: string;
    number: number;
    title: string;
    status: IncidentStatus;
    severity: AlertSeverityName;
    assignee: string | null;
    /** Free labels on the incident; empty where incidents carry none. */
    tags: string[];
    createdAt: string;
    updatedAt: string;
  };
  /** Each entity once, with every role it had in the incident's alerts. */
  entities: IncidentEntity[];
  /** A summary per alert, not its raw data. */
  alerts: AlertSummary[];
  /** Correlation rules that matched the incident. */
  ruleMatches: RuleMatchSummary[];
  /** Ids of playbooks that already ran on this incident (for `once_per_incident`). */
  playbookRuns?: string[];
}

export interface IncidentEntity {
  type: EntityType;
  /** Canonical value, as the alerts carry it. */
  value: string;
  roles: EntityRole[];
}

export interface AlertSummary {
  id: string;
  title: string;
  format: AlertFormat;
  source: string;
  severity: AlertSeverityName;
  ruleId: string | null;
  ruleName: string | null;
  /** ATT&CK tactic ids, e.g. TA0006. */
  tactics: string[];
  /** ATT&CK technique ids, e.g. T1110.004. */
  techniques: string[];
  time: string;
}

export interface RuleMatchSummary {
  ruleId: string;
  ruleName: string;
  severity: AlertSeverityName;
}

/** A connector instance a run may use, as the engine knows it when the run starts. */
export interface ConnectorInfo {
  name: string;
  type: string;
  capability: Capability;
}
