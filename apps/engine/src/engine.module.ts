import { Module } from '@nestjs/common';

import { ActionSweeperModule } from '@rampart/containment';

/**
 * Playbook workers. Until the playbook engine lands, the role runs the containment-action sweeper
 * (reconciliation of actions a crash left pending, and expiry of timed actions).
 */
@Module({
  imports: [ActionSweeperModule],
})
export class EngineModule {}
