import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AppConfig, ConfigError, parseDuration } from '@rampart/config';
import { ConnectorsModule } from '@rampart/connectors';

import { ActionLeases } from './application/action-lease';
import { ActionReporter } from './application/action-reporter';
import { ContainmentActionQueries } from './application/containment-action-queries';
import { ContainmentActionStore } from './application/containment-action-store';
import { ExecuteActionUseCase } from './application/execute-action.use-case';
import { ExpireDueActionsUseCase } from './application/expire-due-actions.use-case';
import { BLAST_RADIUS_LIMITS, Guardrails } from './application/guardrails';
import { ProtectedAssetStore } from './application/protected-asset-store';
import { ProtectedAssetsUseCase } from './application/protected-assets.use-case';
import { ObserveActionUseCase } from './application/observe-action.use-case';
import { ReconcilePendingActionsUseCase } from './application/reconcile-pending-actions.use-case';
import { RollbackActionUseCase } from './application/rollback-action.use-case';
import { type BlastRadiusLimit, parseBlastRadiusLimits } from './domain/guardrails';
import { ContainmentActionsController } from './infrastructure/http/containment-actions.controller';
import { ProtectedAssetsController } from './infrastructure/http/protected-assets.controller';
import { ProtectedAssetsFileLoader } from './infrastructure/protected-assets-file.loader';
import {
  ACTION_SWEEPER_OPTIONS,
  ActionSweeper,
  type ActionSweeperOptions,
} from './infrastructure/scheduling/action-sweeper';
import { ContainmentActionEntity } from './infrastructure/sql/containment-action.entity';
import { ProtectedAssetEntity } from './infrastructure/sql/protected-asset.entity';
import { SqlContainmentActionStore } from './infrastructure/sql/sql-containment-action.store';
import { SqlProtectedAssetStore } from './infrastructure/sql/sql-protected-asset.store';

const USE_CASES = [
  ExecuteActionUseCase,
  ObserveActionUseCase,
  RollbackActionUseCase,
  ExpireDueActionsUseCase,
  ReconcilePendingActionsUseCase,
  ContainmentActionQueries,
  ProtectedAssetsUseCase,
];

/** GUARDRAIL_LIMITS, read once; a bad value stops start-up naming the variable. */
function blastRadiusLimits(config: AppConfig): BlastRadiusLimit[] {
  const { limits, problems } = parseBlastRadiusLimits(config.env.GUARDRAIL_LIMITS, parseDuration);
  if (problems.length > 0) {
    throw new ConfigError(problems.map((message) => ({ variable: 'GUARDRAIL_LIMITS', message })));
  }
  return limits;
}

/**
 * The containment-action lifecycle: execute once per key (after its guardrails: protected assets,
 * blast radius, one effective action per change), roll back, expire, reconcile, observe.
 * Reaches vendors only through the connectors' ConnectorOperations port. Static, so the api and
 * engine roles share one instance of it in a process that runs both.
 */
@Module({
  imports: [ConnectorsModule, TypeOrmModule.forFeature([ContainmentActionEntity, ProtectedAssetEntity])],
  providers: [
    { provide: ContainmentActionStore, useClass: SqlContainmentActionStore },
    { provide: ProtectedAssetStore, useClass: SqlProtectedAssetStore },
    { provide: BLAST_RADIUS_LIMITS, inject: [AppConfig], useFactory: blastRadiusLimits },
    Guardrails,
    ActionLeases,
    ActionReporter,
    ProtectedAssetsFileLoader,
    ...USE_CASES,
  ],
  exports: [...USE_CASES, Guardrails],
})
export class ContainmentModule {}

/** The api role's routes: `/api/v1/actions` and `/api/v1/protected-assets`. */
@Module({
  imports: [ContainmentModule],
  controllers: [ContainmentActionsController, ProtectedAssetsController],
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
