/**
 * Decides which incident each new alert joins. Two alerts are related when they share a
 * correlation entity and their event times are at most `windowMs` apart; incidents are the
 * connected components of that relation. Computing components (and merging incidents a new alert
 * bridges) makes the outcome independent of arrival order, so any number of ingestor replicas
 * reach the same incidents as one.
 */

export interface GroupingAlert {
  id: string;
  timeMs: number;
  /** Entity keys of the alert's correlation entities (e.g. `host:web-01`). */
  keys: string[];
}

/** A new alert related to an alert already in an open incident. */
export interface IncidentLink {
  alertId: string;
  incidentId: string;
}

/** Pass only the incidents that `links` (or matches) name. */
export interface ExistingIncident {
  id: string;
  /** Monotonic incident number: the oldest incident of a component survives a merge. */
  number: number;
}

export interface IncidentGroup {
  /** The incident the alerts join; null when a new incident must be opened. */
  incidentId: string | null;
  alertIds: string[];
  /** Open incidents merged into `incidentId` because new alerts bridged them. */
  mergedIncidentIds: string[];
}

export class UnionFind {
  private readonly parent = new Map<string, string>();

  find(node: string): string {
    let root = node;
    for (
      let next = this.parent.get(root);
      next !== undefined && next !== root;
      next = this.parent.get(root)
    ) {
      root = next;
    }
    if (!this.parent.has(node)) this.parent.set(node, node);
    // Path compression keeps later finds near constant time.
    for (let current = node; current !== root;) {
      const next = this.parent.get(current) as string;
      this.parent.set(current, root);
      current = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parent.set(rootA, rootB);
  }
}

const alertNode = (id: string): string => `a:${id}`;
const incidentNode = (id: string): string => `i:${id}`;

export function planIncidentAssignment(
  alerts: GroupingAlert[],
  links: IncidentLink[],
  incidents: ExistingIncident[],
  windowMs: number,
): IncidentGroup[] {
  const components = new UnionFind();
  for (const alert of alerts) components.find(alertNode(alert.id));

  // Alerts of this batch relate to each other too; per key, linking neighbours in time order
  // connects every pair within the window.
  for (const list of byKeyInTimeOrder(alerts).values()) {
    for (let index = 1; index < list.length; index += 1) {
      const previous = list[index - 1] as GroupingAlert;
      const current = list[index] as GroupingAlert;
      if (current.timeMs - previous.timeMs <= windowMs)
        components.union(alertNode(previous.id), alertNode(current.id));
    }
  }
  for (const link of links) components.union(alertNode(link.alertId), incidentNode(link.incidentId));

  return collectGroups(
    components,
    alerts.map((alert) => alert.id),
    incidents,
  );
}

/** Where to look for existing alerts related to a run of new alerts on one key. */
export interface RelationProbe {
  /** One alert of the run: the run is connected, so linking one links all. */
  alertId: string;
  key: string;
  fromMs: number;
  toMs: number;
}

/**
 * Per key, the new alerts in time order split into runs wherever two neighbours are more than
 * `windowMs` apart; a run relates to an existing alert exactly when that alert lies within
 * [first - window, last + window], since every instant of the run is within the window of a
 * member. One probe per run instead of one per alert keeps a storm on one host from turning into
 * a join of every new alert with every old one.
 */
export function relationProbes(alerts: GroupingAlert[], windowMs: number): RelationProbe[] {
  const probes: RelationProbe[] = [];
  for (const [key, list] of byKeyInTimeOrder(alerts)) {
    let start = list[0] as GroupingAlert;
    let previous = start;
    for (const alert of list.slice(1)) {
      if (alert.timeMs - previous.timeMs > windowMs) {
        probes.push({
          alertId: start.id,
          key,
          fromMs: start.timeMs - windowMs,
          toMs: previous.timeMs + windowMs,
        });
        start = alert;
      }
      previous = alert;
    }
    probes.push({
      alertId: start.id,
      key,
      fromMs: start.timeMs - windowMs,
      toMs: previous.timeMs + windowMs,
    });
  }
  return probes;
}

/**
 * Merges the incidents that share alerts of one rule match. Returns one group per set of
 * incidents to merge (only sets of two or more).
 */
export function planRuleMerges(
  matches: { incidentIds: string[] }[],
  incidents: ExistingIncident[],
): { survivorId: string; mergedIncidentIds: string[] }[] {
  const components = new UnionFind();
  for (const match of matches) {
    const [first, ...rest] = match.incidentIds;
    if (first === undefined) continue;
    components.find(incidentNode(first));
    for (const other of rest) components.union(incidentNode(first), incidentNode(other));
  }
  return collectGroups(components, [], incidents)
    .filter((group) => group.mergedIncidentIds.length > 0)
    .map((group) => ({ survivorId: group.incidentId as string, mergedIncidentIds: group.mergedIncidentIds }));
}

function collectGroups(
  components: UnionFind,
  alertIds: string[],
  incidents: ExistingIncident[],
): IncidentGroup[] {
  const groups = new Map<string, { alertIds: string[]; incidents: ExistingIncident[] }>();
  const groupOf = (root: string) => {
    let group = groups.get(root);
    if (!group) {
      group = { alertIds: [], incidents: [] };
      groups.set(root, group);
    }
    return group;
  };
  for (const id of alertIds) groupOf(components.find(alertNode(id))).alertIds.push(id);
  for (const incident of incidents)
    groupOf(components.find(incidentNode(incident.id))).incidents.push(incident);
  return [...groups.values()].map((group) => {
    const ordered = [...group.incidents].sort((a, b) => a.number - b.number);
    const [survivor, ...merged] = ordered;
    return {
      incidentId: survivor?.id ?? null,
      alertIds: group.alertIds.sort(),
      mergedIncidentIds: merged.map((incident) => incident.id),
    };
  });
}

/** The alerts carrying each key, in time order. */
function byKeyInTimeOrder(alerts: GroupingAlert[]): Map<string, GroupingAlert[]> {
  const byKey = new Map<string, GroupingAlert[]>();
  for (const alert of alerts) {
    for (const key of alert.keys) {
      const list = byKey.get(key);
      if (list) list.push(alert);
      else byKey.set(key, [alert]);
    }
  }
  for (const list of byKey.values()) list.sort((a, b) => a.timeMs - b.timeMs);
  return byKey;
}
