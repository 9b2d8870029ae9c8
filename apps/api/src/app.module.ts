import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';

import { AuditModule } from '@rampart/audit';
import { AuthModule } from '@rampart/auth';
import { AppConfig, ConfigModule } from '@rampart/config';
import { DatabaseModule } from '@rampart/database';
import { MetricsModule } from '@rampart/metrics';
import { SecretsModule } from '@rampart/secrets';
import { AllExceptionsFilter } from '@rampart/web';

import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { OpenApiDocumentBuilder } from './openapi/openapi-document';
import { OpenApiController } from './openapi/openapi.controller';
import { PrincipalContextInterceptor } from './request-context/principal-context.interceptor';
import { RouteCatalog } from './routes/route-catalog';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  masterKey: Buffer;
  /** Ed25519 private key seed (32 bytes) signing audit checkpoints. */
  auditSigningKey: Buffer;
}

/**
 * Every role in one process, or the ones SOAR_ROLES names. Health answers whatever the roles.
 *
 * A role's module is loaded only when the process runs that role, so that an ingestor does not
 * carry the console, reports, PDF and engine code it never runs (24 MB: docs/scaling.md).
 */
@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, masterKey, auditSigningKey }: AppModuleOptions): DynamicModule {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand, see above */
    const roles: Type[] = [];
    if (config.hasRole('api'))
      roles.push((require('./api.module') as typeof import('./api.module')).ApiModule);
    if (config.hasRole('ingestor') && config.kafkaEnabled)
      roles.push(
        (require('../../ingestor/src/ingestor.module') as typeof import('../../ingestor/src/ingestor.module'))
          .IngestorModule,
      );
    if (config.hasRole('engine'))
      roles.push(
        (require('../../engine/src/engine.module') as typeof import('../../engine/src/engine.module'))
          .EngineModule,
      );
    /* eslint-enable @typescript-eslint/no-require-imports */
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(databaseUrl),
        SecretsModule.forRoot(masterKey),
        AuthModule,
        AuditModule.forRoot({ signingKey: auditSigningKey }),
        MetricsModule,
        DiscoveryModule,
        ...roles,
      ],
      controllers: [HealthController, MetricsController, OpenApiController],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_INTERCEPTOR, useClass: PrincipalContextInterceptor },
        RouteCatalog,
        OpenApiDocumentBuilder,
      ],
    };
  }
}
