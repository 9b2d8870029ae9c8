import { Module } from '@nestjs/common';

import { ActionSweeperModule } from '@rampart/containment';
import { PlaybookEngineModule } from '@rampart/playbooks';
import { ReportSchedulerModule } from '@rampart/reports';

/**
 * The engine role: playbook workers and the trigger consumer (libs/playbooks), the
 * containment-action sweeper (reconciliation of actions a crash left pending, expiry of timed
 * actions) and the report scheduler (scheduled exports). Audit checkpoints are signed by
 * AuditModule in this role.
 */
@Module({
  imports: [PlaybookEngineModule, ActionSweeperModule, ReportSchedulerModule],
})
export class EngineModule {}
