import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AppConfig } from '@rampart/config';
import { Egress, EgressPolicy } from '@rampart/egress';
import { SecretBox } from '@rampart/secrets';

import { CheckConnectorUseCase } from './application/check-connector.use-case';
import { ConnectorInstanceQueries } from './application/connector-instance-queries';
import { ConnectorInstanceStore } from './application/connector-instance-store';
import { AdapterConnectorOperations, ConnectorOperations } from './application/connector-operations';
import { ConnectorResolver } from './application/connector-resolver';
import { CreateConnectorInstanceUseCase } from './application/create-connector-instance.use-case';
import { DeleteConnectorInstanceUseCase } from './application/delete-connector-instance.use-case';
import { LoadConnectorsFileUseCase } from './application/load-connectors-file.use-case';
import { UpdateConnectorInstanceUseCase } from './application/update-connector-instance.use-case';
import { ConnectorInstancesController } from './infrastructure/api/connector-instances.controller';
import { ConnectorsFileLoader } from './infrastructure/connectors-file.loader';
import { ConnectorSecretBox } from './infrastructure/secret-box';
import { ConnectorInstanceEntity } from './infrastructure/sql/connector-instance.entity';
import { SqlConnectorInstanceStore } from './infrastructure/sql/sql-connector-instance.store';

const USE_CASES = [
  CreateConnectorInstanceUseCase,
  UpdateConnectorInstanceUseCase,
  DeleteConnectorInstanceUseCase,
  CheckConnectorUseCase,
  ConnectorInstanceQueries,
  LoadConnectorsFileUseCase,
];

/**
 * Connector instances (their use cases and the CONNECTORS_FILE loader) and the ConnectorOperations
 * port through which the containment lifecycle reaches vendor adapters. Static, so every role in
 * one process shares one instance of it (and so one adapter, token cache and circuit breaker per
 * connector).
 */
@Module({
  imports: [TypeOrmModule.forFeature([ConnectorInstanceEntity])],
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
    { provide: ConnectorOperations, useClass: AdapterConnectorOperations },
    ConnectorResolver,
    ConnectorsFileLoader,
    ...USE_CASES,
  ],
  exports: [...USE_CASES, ConnectorOperations],
})
export class ConnectorsModule {}

/** The api role's routes: `/api/v1/connectors` (admin). */
@Module({
  imports: [ConnectorsModule],
  controllers: [ConnectorInstancesController],
})
export class ConnectorsHttpModule {}
