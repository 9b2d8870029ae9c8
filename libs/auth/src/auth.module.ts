import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AppConfig } from '@rampart/config';

import { AccessDenialAudit } from './application/access-denial-audit';
import { ApiKeyAuthenticationCache } from './application/api-key-authentication-cache';
import { ApiKeyStore } from './application/api-key-store';
import { AuthSettings } from './application/auth-settings';
import { Authenticator } from './application/authenticator';
import { ChangeOwnPasswordUseCase } from './application/change-own-password.use-case';
import { CreateUserUseCase } from './application/create-user.use-case';
import { DeleteUserUseCase } from './application/delete-user.use-case';
import { EnsureInitialAdminUseCase } from './application/ensure-initial-admin.use-case';
import { IssueApiKeyUseCase } from './application/issue-api-key.use-case';
import { LoginThrottleStore } from './application/login-throttle-store';
import { LogoutUseCase } from './application/logout.use-case';
import { OidcClient } from './application/oidc-client';
import { OidcSignInUseCase } from './application/oidc-sign-in.use-case';
import { PasswordHasher } from './application/password-hasher';
import { PasswordLoginUseCase } from './application/password-login.use-case';
import { RevokeApiKeyUseCase } from './application/revoke-api-key.use-case';
import { SessionIssuer } from './application/session-issuer';
import { SessionStore } from './application/session-store';
import { UpdateUserUseCase } from './application/update-user.use-case';
import { UserStore } from './application/user-store';
import { Argon2PasswordHasher } from './infrastructure/argon2-password.hasher';
import { ApiKeysController } from './infrastructure/http/api-keys.controller';
import { AuthController } from './infrastructure/http/auth.controller';
import { AuthenticationMiddleware } from './infrastructure/http/authentication.middleware';
import { AuthorizationGuard } from './infrastructure/http/authorization.guard';
import { SignInPagesController } from './infrastructure/http/sign-in-pages.controller';
import { UsersController } from './infrastructure/http/users.controller';
import { OpenIdClientAdapter } from './infrastructure/oidc/openid-client.adapter';
import { ApiKeyEntity } from './infrastructure/sql/api-key.entity';
import { LoginThrottleEntity } from './infrastructure/sql/login-throttle.entity';
import { SqlApiKeyStore } from './infrastructure/sql/sql-api-key.store';
import { SqlLoginThrottleStore } from './infrastructure/sql/sql-login-throttle.store';
import { SqlSessionStore } from './infrastructure/sql/sql-session.store';
import { SqlUserStore } from './infrastructure/sql/sql-user.store';
import { UserAccountEntity } from './infrastructure/sql/user-account.entity';
import { UserSessionEntity } from './infrastructure/sql/user-session.entity';

const USE_CASES = [
  PasswordLoginUseCase,
  LogoutUseCase,
  ChangeOwnPasswordUseCase,
  OidcSignInUseCase,
  CreateUserUseCase,
  UpdateUserUseCase,
  DeleteUserUseCase,
  IssueApiKeyUseCase,
  RevokeApiKeyUseCase,
  EnsureInitialAdminUseCase,
];

/**
 * Authentication and authorization for every process: who is calling (API keys, console
 * sessions), the one guard over the permission matrix, and the use cases that change accounts.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ApiKeyEntity, UserAccountEntity, UserSessionEntity, LoginThrottleEntity]),
  ],
  providers: [
    {
      provide: AuthSettings,
      useFactory: (config: AppConfig) => new AuthSettings(config),
      inject: [AppConfig],
    },
    { provide: ApiKeyStore, useClass: SqlApiKeyStore },
    { provide: UserStore, useClass: SqlUserStore },
    { provide: SessionStore, useClass: SqlSessionStore },
    { provide: LoginThrottleStore, useClass: SqlLoginThrottleStore },
    { provide: PasswordHasher, useClass: Argon2PasswordHasher },
    {
      provide: OidcClient,
      useFactory: (settings: AuthSettings) => new OpenIdClientAdapter(settings.oidc),
      inject: [AuthSettings],
    },
    ApiKeyAuthenticationCache,
    Authenticator,
    AccessDenialAudit,
    AuthenticationMiddleware,
    SessionIssuer,
    ...USE_CASES,
    { provide: APP_GUARD, useClass: AuthorizationGuard },
  ],
  exports: [AuthSettings, ApiKeyStore, UserStore, AuthenticationMiddleware, AccessDenialAudit, ...USE_CASES],
})
export class AuthModule {}

/** The HTTP API of accounts (api role): sign-in and sign-out, users, API keys, the sign-in page. */
@Module({
  imports: [AuthModule],
  controllers: [AuthController, UsersController, ApiKeysController, SignInPagesController],
})
export class AuthHttpModule {}
