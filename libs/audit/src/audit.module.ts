import { DynamicModule, Global, Module } from '@nestjs/common';

import { AuditLog } from './application/audit-log';
import { AuditQueries } from './application/audit-queries';
import { AuditTrail } from './application/audit-trail';
import { CheckpointSigner } from './application/checkpoint-signer';
import { ExportAuditTrailUseCase } from './application/export-audit-trail.use-case';
import { SignCheckpointUseCase } from './application/sign-checkpoint.use-case';
import { VerifyAuditTrailUseCase } from './application/verify-audit-trail.use-case';
import { Ed25519CheckpointSigner } from './infrastructure/ed25519-checkpoint.signer';
import { AuditCheckpointJob } from './infrastructure/scheduling/audit-checkpoint.job';
import { SqlAuditLog } from './infrastructure/sql/sql-audit-log';
import { SqlAuditTrail } from './infrastructure/sql/sql-audit-trail';

const USE_CASES = [AuditQueries, VerifyAuditTrailUseCase, SignCheckpointUseCase, ExportAuditTrailUseCase];

/**
 * The audit trail for the whole process. Global, so any library's use case can inject
 * {@link AuditTrail} without importing this module (its library still needs the `audit` edge in
 * eslint.config.mjs). The engine role also signs periodic checkpoints of the chain head.
 */
@Global()
@Module({})
export class AuditModule {
  static forRoot(options: { signingKey: Buffer }): DynamicModule {
    return {
      module: AuditModule,
      providers: [
        { provide: AuditTrail, useClass: SqlAuditTrail },
        { provide: AuditLog, useClass: SqlAuditLog },
        { provide: CheckpointSigner, useValue: new Ed25519CheckpointSigner(options.signingKey) },
        ...USE_CASES,
        AuditCheckpointJob,
      ],
      exports: [AuditTrail, ...USE_CASES],
    };
  }
}
