import path from 'node:path';

import { Injectable, Logger, OnModuleInit } from '@nestjs/common';

import { AppConfig } from '@rampart/config';
import { formatDiagnostic } from '@rampart/diagnostics';

import { CorrelationRuleSet } from '../application/correlation-rule-set';
import { loadCorrelationRules } from '../application/load-correlation-rules';
import type { CorrelationRule } from '../domain/rules/correlation-rule';

/**
 * The rules of CORRELATION_RULES_DIR, loaded once at start. A rule with errors is reported and
 * left out; the platform runs with the sound ones rather than not at all.
 */
@Injectable()
export class FileCorrelationRuleSet extends CorrelationRuleSet implements OnModuleInit {
  private readonly logger = new Logger('CorrelationRules');
  private loaded: CorrelationRule[] = [];

  constructor(private readonly config: AppConfig) {
    super();
  }

  async onModuleInit(): Promise<void> {
    const directory = path.resolve(this.config.env.CORRELATION_RULES_DIR);
    const { rules, diagnostics } = await loadCorrelationRules(directory);
    for (const diagnostic of diagnostics) {
      const line = formatDiagnostic(diagnostic);
      if (diagnostic.severity === 'error') this.logger.error(line);
      else this.logger.warn(line);
    }
    this.loaded = rules;
    this.logger.log(`${rules.length} correlation rule(s) loaded from ${directory}`);
  }

  rules(): CorrelationRule[] {
    return this.loaded;
  }
}
