import type { ConnectorInfo, IncidentSnapshot } from '../../domain';

/** What a run sees of its incident and of the connectors, read when it starts. */
export abstract class RunContextReader {
  /** The incident as playbooks see it (see IncidentSnapshot); null when there is no such incident. */
  abstract snapshot(incidentId: string): Promise<IncidentSnapshot | null>;
  /** Many incidents at once, by id; those that do not exist are missing. */
  abstract snapshots(incidentIds: readonly string[]): Promise<Map<string, IncidentSnapshot>>;
  /** The connector instances a run may use. */
  abstract connectors(): Promise<ConnectorInfo[]>;
}
