import { Injectable } from '@nestjs/common';

import { compilePlaybookSet, describeTrigger, type PlaybookDiagnostic } from '../domain';
import { PlaybookRegistry } from './playbook-registry';

export interface ValidatePlaybookCommand {
  yaml: string;
  /** The name diagnostics show. */
  file: string;
}

export interface PlaybookValidation {
  valid: boolean;
  id: string | null;
  hash: string;
  diagnostics: PlaybookDiagnostic[];
  /** What the playbook is, when it is valid. */
  playbook: {
    id: string;
    name: string;
    version: number;
    enabled: boolean;
    trigger: string;
    steps: number;
  } | null;
}

/**
 * Checks one playbook as the loader would, against the playbooks loaded now (sub-playbook calls
 * must name one of them, and must not loop back to this one). Stores nothing.
 */
@Injectable()
export class ValidatePlaybookUseCase {
  constructor(private readonly registry: PlaybookRegistry) {}

  execute(command: ValidatePlaybookCommand): PlaybookValidation {
    const compiled = compilePlaybookSet(
      [{ file: command.file, text: command.yaml }],
      this.registry.validPlaybooks(),
    );
    const [entry] = compiled.playbooks;
    if (entry === undefined) throw new Error('a compiled set of one file has one entry');
    const playbook = entry.playbook;
    return {
      valid: entry.state === 'valid',
      id: entry.id,
      hash: entry.hash,
      diagnostics: entry.diagnostics,
      playbook:
        playbook === null
          ? null
          : {
              id: playbook.id,
              name: playbook.name,
              version: playbook.version,
              enabled: playbook.enabled,
              trigger: describeTrigger(playbook),
              steps: playbook.steps.length,
            },
    };
  }
}
