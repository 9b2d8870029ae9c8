export { AuditTrail, systemActor } from './application/audit-trail';
export type { AuditActor, AuditEntryInput } from './application/audit-trail';
export { AuditModule } from './audit.module';
