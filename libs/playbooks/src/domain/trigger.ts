import { describeCondition, evaluateCondition } from './condition';
import type { IncidentSnapshot } from './incident-snapshot';
import type { Playbook, TriggerEvent } from './playbook';
import { runData } from './run-data';

/** What trigger matching needs of a registry: the playbooks that loaded without errors. */
export interface PlaybookCatalog {
  validPlaybooks(): readonly Playbook[];
}

/** The incident change a trigger is evaluated for. */
export interface IncidentTrigger {
  type: TriggerEvent;
}

/**
 * The playbooks to start for an incident change, by id: enabled, listening to the event, not run
 * on the incident before when they run once per incident, and whose `when` holds. Pure; a merged
 * incident (now part of another) starts nothing.
 */
export function matchingPlaybooks(
  catalog: PlaybookCatalog | readonly Playbook[],
  snapshot: IncidentSnapshot,
  event: IncidentTrigger,
): Playbook[] {
  if (snapshot.incident.status === 'merged') return [];
  const playbooks = 'validPlaybooks' in catalog ? catalog.validPlaybooks() : catalog;
  const ran = new Set(snapshot.playbookRuns ?? []);
  const data = runData(snapshot);
  return playbooks
    .filter(
      (playbook) =>
        playbook.enabled &&
        playbook.trigger.on.includes(event.type) &&
        !(playbook.trigger.oncePerIncident && ran.has(playbook.id)) &&
        (playbook.trigger.when === null || evaluateCondition(playbook.trigger.when, { snapshot, data })),
    )
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** `on incident.created when severity at least high`, for lists and logs. */
export function describeTrigger(playbook: Pick<Playbook, 'trigger'>): string {
  const { on, when, oncePerIncident } = playbook.trigger;
  return [
    `on ${on.join(' or ')}`,
    when === null ? null : `when ${describeCondition(when)}`,
    oncePerIncident ? '(once per incident)' : null,
  ]
    .filter((part) => part !== null)
    .join(' ');
}
