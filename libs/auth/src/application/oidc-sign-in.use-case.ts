import { Injectable, Logger } from '@nestjs/common';

import { type AuditEntryInput, AuditTrail, systemActor } from '@rampart/audit';
import { type SqlExecutor, TransactionRunner } from '@rampart/database';

import { AuthError, AuthErrorCode } from '../domain/auth-error';
import { readClaim, roleFromClaims } from '../domain/oidc-role-mapping';
import type { UserRole } from '../domain/principal';
import { safeReturnTo } from '../domain/return-to';
import { normalizeUsername } from '../domain/username';
import { signedInEntry, userTarget, userView } from './auth-audit';
import { AuthSettings, type OidcSettings } from './auth-settings';
import { OidcClient, type OidcIdentity, type OidcTransaction } from './oidc-client';
import { type SignedIn, type SignInContext, SessionIssuer } from './session-issuer';
import { type StoredUser, UserStore } from './user-store';

/** How long a browser may take at the identity provider. */
const TRANSACTION_TTL_MS = 10 * 60 * 1000;
/** Accounts the identity provider creates, links or re-roles are changed by OIDC sign-in itself. */
const OIDC_ACTOR = systemActor('oidc');

/**
 * Console sign-in through the organisation's OpenID Connect provider. Users are identified by
 * (issuer, subject). Their role comes from the role claim through SOAR_OIDC_ROLE_MAP (first match
 * wins) or SOAR_OIDC_DEFAULT_ROLE; when neither is configured, an existing user keeps the role an
 * admin gave them. A user the IdP knows but Rampart does not is created (`auto`) or refused
 * (`existing`); an account an admin created as `oidc` is linked at its first sign-in by username.
 */
@Injectable()
export class OidcSignInUseCase {
  private readonly log = new Logger('OidcSignIn');

  constructor(
    private readonly settings: AuthSettings,
    private readonly oidc: OidcClient,
    private readonly users: UserStore,
    private readonly issuer: SessionIssuer,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditTrail,
  ) {}

  get enabled(): boolean {
    return this.settings.oidc !== null;
  }

  async begin(returnTo: unknown): Promise<{ url: URL; transaction: OidcTransaction }> {
    this.configured();
    const challenge = await this.oidc.newChallenge();
    const url = await this.failingAsOidc('the identity provider cannot be reached', () =>
      this.oidc.authorizationUrl(challenge),
    );
    return { url, transaction: { ...challenge, returnTo: safeReturnTo(returnTo), startedAt: Date.now() } };
  }

  async complete(callbackUrl: URL, transaction: OidcTransaction, context: SignInContext): Promise<SignedIn> {
    const settings = this.configured();
    if (Date.now() - transaction.startedAt > TRANSACTION_TTL_MS) {
      throw new AuthError(AuthErrorCode.OidcFailed, 'the sign-in took too long: start again');
    }
    const identity = await this.failingAsOidc('the identity provider did not confirm the sign-in', () =>
      this.oidc.complete(callbackUrl, transaction),
    );
    const mappedRole = this.mappedRole(settings, identity);
    return this.transactions.run(async (sql) => {
      const audited: AuditEntryInput[] = [];
      let user = await this.users.findByOidcSubject(sql, identity.issuer, identity.subject);
      if (!user) {
        const before = await this.users.findByUsername(sql, this.usernameOf(settings, identity));
        user = await this.linkOrProvision(settings, identity, mappedRole, sql);
        audited.push({
          actor: OIDC_ACTOR,
          action: before ? 'user.updated' : 'user.created',
          target: userTarget(user),
          ...(before ? { before: { ...userView(before), oidcLinked: false } } : {}),
          after: { ...userView(user), oidcLinked: true },
        });
      }
      if (user.disabledAt !== null) {
        throw new AuthError(AuthErrorCode.OidcUnknownUser, 'this account is disabled');
      }
      const role: UserRole | undefined = this.rolesConfigured(settings) ? mappedRole : user.role;
      if (!role)
        throw new AuthError(AuthErrorCode.OidcNoRole, 'no role of Rampart is granted to this account');
      if (role !== user.role) {
        const before = user;
        user = await this.users.update(sql, user.id, { role });
        audited.push({
          actor: OIDC_ACTOR,
          action: 'user.updated',
          target: userTarget(user),
          before: { role: before.role },
          after: { role, reason: 'role claims of the identity provider' },
        });
      }
      await this.users.recordLogin(sql, user.id);
      const signedIn = await this.issuer.open(
        sql,
        { id: user.id, username: user.username, role },
        'oidc',
        context,
      );
      await this.audit.recordAll(sql, [...audited, signedInEntry(signedIn.user, 'oidc', context)]);
      return signedIn;
    });
  }

  private async linkOrProvision(
    settings: OidcSettings,
    identity: OidcIdentity,
    role: UserRole | undefined,
    sql: SqlExecutor,
  ): Promise<StoredUser> {
    const username = this.usernameOf(settings, identity);
    const existing = await this.users.findByUsername(sql, username);
    if (existing) {
      if (existing.authSource !== 'oidc' || existing.oidcSubject !== null) {
        this.log.warn(
          `OIDC subject ${identity.subject} claims username "${username}", held by another account`,
        );
        throw new AuthError(
          AuthErrorCode.OidcUnknownUser,
          `the username "${username}" belongs to another account`,
        );
      }
      return this.users.update(sql, existing.id, {
        oidc: { issuer: identity.issuer, subject: identity.subject },
      });
    }
    if (settings.provisioning !== 'auto') {
      throw new AuthError(
        AuthErrorCode.OidcUnknownUser,
        `no Rampart account for "${username}": ask an admin`,
      );
    }
    if (!role) throw new AuthError(AuthErrorCode.OidcNoRole, 'no role of Rampart is granted to this account');
    const name = readClaim(identity.claims, 'name');
    const created = await this.users.insert(sql, {
      username,
      displayName: typeof name === 'string' ? name.slice(0, 200) : null,
      role,
      authSource: 'oidc',
      passwordHash: null,
      oidcIssuer: identity.issuer,
      oidcSubject: identity.subject,
    });
    if (!created) throw new AuthError(AuthErrorCode.OidcUnknownUser, `the username "${username}" is taken`);
    return created;
  }

  private usernameOf(settings: OidcSettings, identity: OidcIdentity): string {
    for (const claim of [settings.usernameClaim, 'preferred_username', 'email']) {
      const value = readClaim(identity.claims, claim);
      const username = typeof value === 'string' ? normalizeUsername(value) : null;
      if (username) return username;
    }
    const fromSubject = normalizeUsername(identity.subject);
    if (fromSubject) return fromSubject;
    throw new AuthError(AuthErrorCode.OidcFailed, 'the identity provider gave no usable username');
  }

  private rolesConfigured(settings: OidcSettings): boolean {
    return settings.roleMappings.length > 0 || settings.defaultRole !== undefined;
  }

  private mappedRole(settings: OidcSettings, identity: OidcIdentity): UserRole | undefined {
    return roleFromClaims(identity.claims, settings.roleClaim, settings.roleMappings, settings.defaultRole);
  }

  private configured(): OidcSettings {
    if (!this.settings.oidc) {
      throw new AuthError(
        AuthErrorCode.OidcNotConfigured,
        'OIDC sign-in is not configured (SOAR_OIDC_ISSUER)',
      );
    }
    return this.settings.oidc;
  }

  /** The provider's or the library's words stay in the log; the browser gets a plain reason. */
  private async failingAsOidc<T>(message: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AuthError) throw error;
      this.log.warn(`${message}: ${error instanceof Error ? error.message : String(error)}`);
      throw new AuthError(AuthErrorCode.OidcFailed, message);
    }
  }
}
