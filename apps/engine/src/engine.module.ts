import { Module } from '@nestjs/common';

import { ActionSweeperModule } from '@rampart/containment';
import { ReportSchedulerModule } from '@rampart/reports';

/**
 * Playbook workers. Until the playbook engine lands, the role runs the containment-action sweeper
 * (reconciliation of actions a crash left pending, and expiry of timed actions) and the report
 * scheduler (scheduled exports). Audit checkpoints are signed by AuditModule in this role.
 */
@Module({
  imports: [ActionSweeperModule, ReportSchedulerModule],
})
export class EngineModule {}
