import { Injectable } from '@nestjs/common';

import { Guardrails } from '@rampart/containment';

import { dryRun, type DryRunResult } from '../../domain';
import { PlaybookRegistry } from '../playbook-registry';
import { RunContextReader } from './incident-snapshots';
import { RunStartError } from './start-run.use-case';

/**
 * The exact ordered actions a playbook would take on an incident now, with rendered parameters
 * and which guardrail (protected asset, blast radius) or approval each would meet. Touches no
 * vendor and records nothing.
 */
@Injectable()
export class DryRunPlaybookUseCase {
  constructor(
    private readonly registry: PlaybookRegistry,
    private readonly context: RunContextReader,
    private readonly guardrails: Guardrails,
  ) {}

  async execute(command: {
    incidentId: string;
    playbookId: string;
    inputs?: Record<string, unknown>;
  }): Promise<DryRunResult> {
    const playbook = this.registry.get(command.playbookId);
    if (!playbook) {
      const entry = this.registry.entry(command.playbookId);
      throw entry
        ? new RunStartError(
            'playbook_invalid',
            `playbook "${command.playbookId}" (${entry.file}) does not validate`,
          )
        : new RunStartError('playbook_not_found', `no playbook "${command.playbookId}" is loaded`);
    }
    const snapshot = await this.context.snapshot(command.incidentId);
    if (!snapshot) throw new RunStartError('incident_not_found', `no incident ${command.incidentId}`);
    const verdict = await this.guardrails.preview(command.incidentId);
    return dryRun(playbook, {
      snapshot,
      connectors: await this.context.connectors(),
      ...(command.inputs ? { inputs: command.inputs } : {}),
      guardrail: (action) =>
        verdict({ operation: action.operation, target: action.target, tags: snapshot.incident.tags }),
      resolvePlaybook: (id) => this.registry.get(id),
      now: new Date(),
    });
  }
}
