export { ApiKeyStore } from './application/api-key-store';
export type { StoredApiKey } from './application/api-key-store';
export { UserStore } from './application/user-store';
export type { StoredUser } from './application/user-store';
export {
  EnsureInitialAdminUseCase,
  INITIAL_ADMIN_USERNAME,
} from './application/ensure-initial-admin.use-case';
export type { InitialAdmin } from './application/ensure-initial-admin.use-case';
export { ACCESS_DENIAL_WINDOW_MS, AccessDenialAudit } from './application/access-denial-audit';
export type { AccessDenial } from './application/access-denial-audit';
export { AuthHttpModule, AuthModule } from './auth.module';
export {
  CREDENTIALS_CACHE_MAX_ENTRIES,
  CREDENTIALS_CACHE_TTL_MS,
  CREDENTIALS_CHANGED_CHANNEL,
} from './domain/credentials-cache';
export {
  csrfTokenFor,
  generateApiKey,
  hashSecret,
  hashSecret as hashApiKey,
} from './domain/credential-secrets';
export { isPermission, PERMISSION_MATRIX, PERMISSIONS, roleHas, rolesWith } from './domain/permissions';
export type { Permission } from './domain/permissions';
export { isUserRole, ROLES, USER_ROLES } from './domain/principal';
export type { ApiKeyPrincipal, Principal, Role, UserPrincipal, UserRole } from './domain/principal';
export { AuthenticationMiddleware } from './infrastructure/http/authentication.middleware';
export type { AuthenticatedRequest, PublicRoutes } from './infrastructure/http/authentication.middleware';
export { AuthorizationGuard } from './infrastructure/http/authorization.guard';
export { CSRF_FIELD, CSRF_HEADER } from './infrastructure/http/csrf';
export { apiKeyView, userView } from './infrastructure/http/views';
export {
  PERMISSION_KEY,
  Public,
  PUBLIC_KEY,
  RequirePermission,
} from './infrastructure/http/permission.decorator';
