import { Injectable } from '@nestjs/common';

import { type EntityRole, type EntityType, severityName, type SeverityId } from '@rampart/alerts';
import { ConnectorOperations } from '@rampart/connectors';
import { IncidentQueries, type IncidentStatus, type RunContextIncident } from '@rampart/incidents';

import { RunContextReader } from '../application/runs/incident-snapshots';
import type { AlertSummary, ConnectorInfo, IncidentEntity, IncidentSnapshot } from '../domain';

interface DetailAlert {
  id: string;
  format: AlertSummary['format'];
  source: string;
  title: string;
  severityId: number;
  ruleName: string | null;
  ruleId?: string | null;
  tactics: { id: string | null }[];
  techniques: { id: string }[];
  entities: { type: EntityType; value: string; role: EntityRole }[];
  time: Date | string;
}

/**
 * What a run sees of its incident, read through the incidents' own queries (the summary, the
 * first alerts by event time as in the incident detail, and the rule matches), and the connector instances through the connectors' port.
 */
@Injectable()
export class IncidentRunContextReader extends RunContextReader {
  constructor(
    private readonly incidents: IncidentQueries,
    private readonly connectorOperations: ConnectorOperations,
  ) {
    super();
  }

  async snapshot(incidentId: string): Promise<IncidentSnapshot | null> {
    return (await this.snapshots([incidentId])).get(incidentId) ?? null;
  }

  async snapshots(incidentIds: readonly string[]): Promise<Map<string, IncidentSnapshot>> {
    const contexts = await this.incidents.runContexts(incidentIds);
    return new Map([...contexts].map(([id, detail]) => [id, snapshotOf(detail)]));
  }

  async connectors(): Promise<ConnectorInfo[]> {
    return (await this.connectorOperations.list())
      .map((ref) => ({ name: ref.name, type: ref.type, capability: ref.capability }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function snapshotOf(detail: RunContextIncident): IncidentSnapshot {
  const alerts = detail.alerts as DetailAlert[];
  const roles = new Map<string, IncidentEntity>();
  for (const alert of alerts) {
    for (const entity of alert.entities ?? []) {
      const key = `${entity.type}:${entity.value}`;
      const known = roles.get(key) ?? { type: entity.type, value: entity.value, roles: [] };
      if (!known.roles.includes(entity.role)) known.roles.push(entity.role);
      roles.set(key, known);
    }
  }
  const ruleMatches = detail.ruleMatches as { ruleId: string; ruleName: string; severityId: number }[];
  return {
    incident: {
      id: detail.id,
      number: detail.number,
      title: detail.title,
      status: detail.status as IncidentStatus,
      severity: severityName(detail.severityId as SeverityId),
      assignee: detail.assignee,
      tags: [],
      createdAt: detail.createdAt,
      updatedAt: detail.updatedAt,
    },
    entities: [...roles.values()].sort((a, b) =>
      a.type === b.type ? (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) : a.type < b.type ? -1 : 1,
    ),
    alerts: alerts.map((alert) => ({
      id: alert.id,
      title: alert.title,
      format: alert.format,
      source: alert.source,
      severity: severityName(alert.severityId as SeverityId),
      ruleId: alert.ruleId ?? null,
      ruleName: alert.ruleName,
      tactics: alert.tactics.map((tactic) => tactic.id).filter((id): id is string => id !== null),
      techniques: alert.techniques.map((technique) => technique.id),
      time: new Date(alert.time).toISOString(),
    })),
    ruleMatches: ruleMatches.map((match) => ({
      ruleId: match.ruleId,
      ruleName: match.ruleName,
      severity: severityName(match.severityId as SeverityId),
    })),
  };
}
