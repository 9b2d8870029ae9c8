export { ApiKeyService, generateApiKey, hashApiKey } from './application/api-key.service';
export type { IssuedApiKey } from './application/api-key.service';
export { AuthModule } from './auth.module';
export { ROLES, roleAllows } from './domain/principal';
export type { Principal, Role } from './domain/principal';
export { ApiKeyGuard } from './infrastructure/api-key.guard';
export type { AuthenticatedRequest } from './infrastructure/api-key.guard';
export { Public, Roles } from './infrastructure/roles.decorator';
