import path from 'node:path';

import { Injectable, Logger, OnModuleInit } from '@nestjs/common';

import { AppConfig } from '@rampart/config';
import { formatDiagnostic } from '@rampart/diagnostics';

import { LoadConnectorsFileUseCase } from '../application/load-connectors-file.use-case';

/**
 * Loads CONNECTORS_FILE once at start. An entry with errors is reported and skipped; the platform
 * starts with the sound ones rather than not at all.
 */
@Injectable()
export class ConnectorsFileLoader implements OnModuleInit {
  private readonly logger = new Logger('ConnectorsFile');

  constructor(
    private readonly config: AppConfig,
    private readonly load: LoadConnectorsFileUseCase,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.env.CONNECTORS_FILE;
    if (!configured) return;
    const file = path.resolve(configured);
    // `${NAME}` references name variables the schema cannot list in advance (they are the admin's
    // choice): they come from the environment as AppConfig captured it at boot.
    const { applied, diagnostics } = await this.load.execute({
      file,
      environment: this.config.referencedVariables,
    });
    for (const diagnostic of diagnostics) {
      const line = formatDiagnostic(diagnostic);
      if (diagnostic.severity === 'error') this.logger.error(line);
      else this.logger.warn(line);
    }
    this.logger.log(`${applied.length} connector instance(s) loaded from ${file}`);
  }
}
