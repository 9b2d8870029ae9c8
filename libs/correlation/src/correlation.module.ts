import { Module } from '@nestjs/common';

import { IncidentsCoreModule } from '@rampart/incidents';

import { CorrelateAlertsUseCase } from './application/correlate-alerts.use-case';
import { CorrelationRuleSet } from './application/correlation-rule-set';
import { FileCorrelationRuleSet } from './infrastructure/file-correlation-rule-set';

@Module({
  imports: [IncidentsCoreModule],
  providers: [CorrelateAlertsUseCase, { provide: CorrelationRuleSet, useClass: FileCorrelationRuleSet }],
  exports: [CorrelateAlertsUseCase, CorrelationRuleSet],
})
export class CorrelationModule {}
