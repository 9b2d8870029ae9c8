import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { Injectable } from '@nestjs/common';

import { ConnectorSecretBox } from '../infrastructure/secret-box';
import {
  compileConnectorsFile,
  ConnectorsFileDiagnostic,
  ConnectorsFileDiagnosticCode,
} from './compile-connectors-file';
import { ConnectorDefinition, toInstance, toRow } from './connector-definition';
import { ConnectorInstanceStore } from './connector-instance-store';

export interface LoadConnectorsFileCommand {
  file: string;
  /** Where `${NAME}` references in credentials are looked up. */
  environment: Readonly<Record<string, string | undefined>>;
}

export interface LoadConnectorsFileResult {
  /** Names of the instances created or updated. */
  applied: string[];
  diagnostics: ConnectorsFileDiagnostic[];
}

/**
 * Declarative instances: every sound entry of the file is upserted by name (and marked as coming
 * from the file); entries with errors are skipped. Never throws for a problem in the file.
 */
@Injectable()
export class LoadConnectorsFileUseCase {
  constructor(
    private readonly store: ConnectorInstanceStore,
    private readonly secrets: ConnectorSecretBox,
  ) {}

  async execute(command: LoadConnectorsFileCommand): Promise<LoadConnectorsFileResult> {
    let text: string;
    try {
      text = await readFile(command.file, 'utf8');
    } catch (error) {
      return {
        applied: [],
        diagnostics: [
          {
            severity: 'error',
            code: ConnectorsFileDiagnosticCode.ReadFailed,
            file: command.file,
            line: null,
            path: '',
            message: `cannot read the file: ${error instanceof Error ? error.message : String(error)}`,
          },
        ],
      };
    }
    const { definitions, diagnostics } = compileConnectorsFile(text, command.file, command.environment);
    const applied: string[] = [];
    for (const definition of definitions) {
      await this.upsert(definition);
      applied.push(definition.name);
    }
    return { applied, diagnostics };
  }

  private async upsert(definition: ConnectorDefinition): Promise<void> {
    // Two tries: another replica may create the same name between our read and our insert.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const existing = await this.store.findByName(definition.name);
      const row = toRow(toInstance(definition, existing?.id ?? randomUUID()), 'file', this.secrets);
      const stored = existing ? await this.store.update(row) : await this.store.insert(row);
      if (stored) return;
    }
    throw new Error(`connector "${definition.name}" changed concurrently while loading the connectors file`);
  }
}
