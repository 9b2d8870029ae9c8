import { Global, Module } from '@nestjs/common';

import { AuditTrail } from './application/audit-trail';
import { SqlAuditTrail } from './infrastructure/sql/sql-audit-trail';

/**
 * The audit trail for the whole process. Global, so any library's use case can inject
 * {@link AuditTrail} without importing this module (its library still needs the `audit` edge in
 * eslint.config.mjs).
 */
@Global()
@Module({
  providers: [{ provide: AuditTrail, useClass: SqlAuditTrail }],
  exports: [AuditTrail],
})
export class AuditModule {}
