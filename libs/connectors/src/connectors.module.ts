import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AppConfig } from '@rampart/config';
import { Egress, EgressPolicy } from '@rampart/egress';
import { SecretBox } from '@rampart/secrets';

import { ActionReporter } from './application/action-reporter';
import { CheckConnectorUseCase } from './application/check-connector.use-case';
import { ConnectorInstanceQueries } from './application/connector-instance-queries';
import { ConnectorInstanceStore } from './application/connector-instance-store';
import { ConnectorResolver } from './application/connector-resolver';
import { ContainmentActionQueries } from './application/containment-action-queries';
import { ContainmentActionStore } from './application/containment-action-store';
import { CreateConnectorInstanceUseCase } from './application/create-connector-instance.use-case';
import { DeleteConnectorInstanceUseCase } from './application/delete-connector-instance.use-case';
import { ExecuteActionUseCase } from './application/execute-action.use-case';
import { ExpireDueActionsUseCase } from './application/expire-due-actions.use-case';
import { JobLease } from './application/job-lease';
import { LoadConnectorsFileUseCase } from './application/load-connectors-file.use-case';
import { ObserveActionUseCase } from './application/observe-action.use-case';
import { ReconcilePendingActionsUseCase } from './application/reconcile-pending-actions.use-case';
import { RollbackActionUseCase } from './application/rollback-action.use-case';
import { UpdateConnectorInstanceUseCase } from './application/update-connector-instance.use-case';
import { ConnectorsFileLoader } from './infrastructure/connectors-file.loader';
import { ConnectorInstancesController } from './infrastructure/api/connector-instances.controller';
import { ContainmentActionsController } from './infrastructure/api/containment-actions.controller';
import {
  ACTION_SWEEPER_OPTIONS,
  ActionSweeper,
  type ActionSweeperOptions,
} from './infrastructure/scheduling/action-sweeper';
import { ConnectorSecretBox } from './infrastructure/secret-box';
import { ConnectorInstanceEntity } from './infrastructure/sql/connector-instance.entity';
import { ContainmentActionEntity } from './infrastructure/sql/containment-action.entity';
import { JobLeaseEntity } from './infrastructure/sql/job-lease.entity';
import { SqlConnectorInstanceStore } from './infrastructure/sql/sql-connector-instance.store';
import { SqlContainmentActionStore } from './infrastructure/sql/sql-containment-action.store';
import { SqlJobLease } from './infrastructure/sql/sql-job-lease';

const USE_CASES = [
  CreateConnectorInstanceUseCase,
  UpdateConnectorInstanceUseCase,
  DeleteConnectorInstanceUseCase,
  CheckConnectorUseCase,
  ConnectorInstanceQueries,
  LoadConnectorsFileUseCase,
  ExecuteActionUseCase,
  ObserveActionUseCase,
  RollbackActionUseCase,
  ExpireDueActionsUseCase,
  ReconcilePendingActionsUseCase,
  ContainmentActionQueries,
];

/**
 * Connector instances and containment actions: the use cases (for the API, playbooks and the
 * sweeper) and the CONNECTORS_FILE loader. Static, so the api and engine roles share one instance
 * of it in a process that runs both.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ConnectorInstanceEntity, ContainmentActionEntity, JobLeaseEntity])],
  providers: [
    {
      provide: ConnectorSecretBox,
      useFactory: (box: SecretBox) => new ConnectorSecretBox(box),
      inject: [SecretBox],
    },
    {
      provide: Egress,
      useFactory: (config: AppConfig) => new Egress(EgressPolicy.fromAllowList(config.env.SOAR_EGRESS_ALLOW)),
      inject: [AppConfig],
    },
    { provide: ConnectorInstanceStore, useClass: SqlConnectorInstanceStore },
    { provide: ContainmentActionStore, useClass: SqlContainmentActionStore },
    ConnectorResolver,
    ActionReporter,
    ConnectorsFileLoader,
    ...USE_CASES,
  ],
  exports: USE_CASES,
})
export class ConnectorsModule {}

/** The api role's routes: `/api/v1/connectors` (admin) and `/api/v1/actions`. */
@Module({
  imports: [ConnectorsModule],
  controllers: [ConnectorInstancesController, ContainmentActionsController],
})
export class ConnectorsHttpModule {}

/** The engine role's action sweeper: reconciliation of pending actions and expiry, in one replica at a time. */
@Module({
  imports: [ConnectorsModule],
  providers: [
    { provide: JobLease, useClass: SqlJobLease },
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
