import { Module } from '@nestjs/common';

import { ActionSweeperModule } from '@rampart/containment';
import { PlaybookEngineModule } from '@rampart/playbooks';

/**
 * The engine role: playbook workers and the trigger consumer (libs/playbooks), and the
 * containment-action sweeper (reconciliation of actions a crash left pending, expiry of timed
 * actions).
 */
@Module({
  imports: [PlaybookEngineModule, ActionSweeperModule],
})
export class EngineModule {}
