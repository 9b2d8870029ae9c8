import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AppConfig } from '@rampart/config';
import { ConnectorsModule } from '@rampart/connectors';

import { ActionReporter } from './application/action-reporter';
import { ContainmentActionQueries } from './application/containment-action-queries';
import { ContainmentActionStore } from './application/containment-action-store';
import { ExecuteActionUseCase } from './application/execute-action.use-case';
import { ExpireDueActionsUseCase } from './application/expire-due-actions.use-case';
import { ObserveActionUseCase } from './application/observe-action.use-case';
import { ReconcilePendingActionsUseCase } from './application/reconcile-pending-actions.use-case';
import { RollbackActionUseCase } from './application/rollback-action.use-case';
import { ContainmentActionsController } from './infrastructure/http/containment-actions.controller';
import {
  ACTION_SWEEPER_OPTIONS,
  ActionSweeper,
  type ActionSweeperOptions,
} from './infrastructure/scheduling/action-sweeper';
import { ContainmentActionEntity } from './infrastructure/sql/containment-action.entity';
import { SqlContainmentActionStore } from './infrastructure/sql/sql-containment-action.store';

const USE_CASES = [
  ExecuteActionUseCase,
  ObserveActionUseCase,
  RollbackActionUseCase,
  ExpireDueActionsUseCase,
  ReconcilePendingActionsUseCase,
  ContainmentActionQueries,
];

/**
 * The containment-action lifecycle: execute once per key, roll back, expire, reconcile, observe.
 * Reaches vendors only through the connectors' ConnectorOperations port. Static, so the api and
 * engine roles share one instance of it in a process that runs both.
 */
@Module({
  imports: [ConnectorsModule, TypeOrmModule.forFeature([ContainmentActionEntity])],
  providers: [
    { provide: ContainmentActionStore, useClass: SqlContainmentActionStore },
    ActionReporter,
    ...USE_CASES,
  ],
  exports: USE_CASES,
})
export class ContainmentModule {}

/** The api role's routes: `/api/v1/actions`. */
@Module({
  imports: [ContainmentModule],
  controllers: [ContainmentActionsController],
})
export class ContainmentHttpModule {}

/** The engine role's action sweeper: reconciliation of pending actions and expiry, in one replica at a time. */
@Module({
  imports: [ContainmentModule],
  providers: [
    {
      provide: ACTION_SWEEPER_OPTIONS,
      inject: [AppConfig],
      useFactory: (config: AppConfig): ActionSweeperOptions => ({
        intervalMs: config.env.ACTION_SWEEP_INTERVAL,
      }),
    },
    ActionSweeper,
  ],
  exports: [ActionSweeper],
})
export class ActionSweeperModule {}
