import type { EntityRole, EntityType } from '@rampart/alerts';

import type { IncidentSnapshot } from './incident-snapshot';
import type { InputValue } from './playbook';

/** The entity a for_each iteration works on. */
export interface RunItem {
  /** Short and stable: part of the iteration's step keys and idempotency keys. */
  token: string;
  type: EntityType;
  value: string;
  roles: EntityRole[];
}

/** What a step left for later steps: `steps.<id>` in templates and conditions. */
export interface StepView {
  status: string;
  output: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

export interface RunDataParts {
  run?: { id: string; startedAt: string };
  playbook?: { id: string; name: string; version: number };
  inputs?: Record<string, InputValue>;
  vars?: Record<string, InputValue>;
  steps?: Record<string, StepView>;
  item?: RunItem | null;
}

/**
 * The data templates are rendered with and conditions look at (docs/playbooks.md#templates).
 * Alert data only ever arrives here, as data: it is never compiled as a template.
 */
export function runData(snapshot: IncidentSnapshot, parts: RunDataParts = {}): Record<string, unknown> {
  const data: Record<string, unknown> = {
    incident: snapshot.incident,
    entities: snapshot.entities,
    alerts: snapshot.alerts,
    ruleMatches: snapshot.ruleMatches,
    inputs: parts.inputs ?? {},
    vars: parts.vars ?? {},
    steps: parts.steps ?? {},
  };
  if (parts.run) data['run'] = parts.run;
  if (parts.playbook) data['playbook'] = parts.playbook;
  if (parts.item) data['item'] = { type: parts.item.type, value: parts.item.value, roles: parts.item.roles };
  return data;
}
