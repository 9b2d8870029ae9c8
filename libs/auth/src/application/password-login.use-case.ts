import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AuditTrail } from '@rampart/audit';
import { TransactionRunner } from '@rampart/database';

import { AuthError, AuthErrorCode } from '../domain/auth-error';
import {
  recordFailure,
  recordSuccess,
  reserveAttempt,
  retryAfterSeconds,
  type ThrottleDecision,
  type ThrottleState,
} from '../domain/login-throttle';
import { signedInEntry, userTarget } from './auth-audit';
import { AuthSettings } from './auth-settings';
import { LoginThrottleStore } from './login-throttle-store';
import { PasswordHasher } from './password-hasher';
import { type SignedIn, type SignInContext, SessionIssuer } from './session-issuer';
import { UserStore } from './user-store';

export interface PasswordLogin extends SignInContext {
  username: string;
  password: string;
}

/**
 * A console sign-in with username and password. Failed attempts are throttled per account and per
 * client address (429 with Retry-After while locked); an unknown user, a disabled one and a wrong
 * password get the same answer after the same work, so answers and timing do not tell which.
 */
@Injectable()
export class PasswordLoginUseCase {
  #dummyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserStore,
    private readonly throttle: LoginThrottleStore,
    private readonly hasher: PasswordHasher,
    private readonly issuer: SessionIssuer,
    private readonly transactions: TransactionRunner,
    private readonly settings: AuthSettings,
    private readonly audit: AuditTrail,
  ) {}

  async execute(login: PasswordLogin): Promise<SignedIn> {
    const username = login.username.trim().toLowerCase();
    const keys = { account: `account:${username.slice(0, 128)}`, address: `address:${addressOf(login)}` };
    await this.reserve(keys);

    const account = await this.users.credentialsOf(username);
    const usable = account !== null && account.passwordHash !== null && !account.disabled;
    const valid = await this.hasher.verify(
      usable ? (account.passwordHash as string) : await this.dummyHash(),
      login.password,
    );
    if (!usable || !valid) {
      const reason =
        account === null ? 'unknown_user' : !usable ? 'disabled_or_no_password' : 'wrong_password';
      return this.fail(keys, { id: account?.id ?? null, username: username.slice(0, 128), reason }, login);
    }

    return this.transactions.run(async (sql) => {
      const states = await this.throttle.lock(sql, [keys.address]);
      const address = states.get(keys.address);
      if (address) await this.throttle.save(sql, new Map([[keys.address, recordSuccess(address)]]));
      await this.throttle.clear(sql, [keys.account]);
      await this.users.recordLogin(sql, account.id);
      const signedIn = await this.issuer.open(sql, account, 'password', login);
      await this.audit.record(sql, signedInEntry(signedIn.user, 'password', login));
      return signedIn;
    });
  }

  /** Counts the attempt on both keys before any password is checked, or refuses while locked. */
  private async reserve(keys: { account: string; address: string }): Promise<void> {
    const now = new Date();
    const lockedUntil = await this.transactions.run(async (sql) => {
      const states = await this.throttle.lock(sql, [keys.account, keys.address]);
      const decisions = new Map<string, [ThrottleDecision, ThrottleState | undefined]>([
        [
          keys.account,
          [
            reserveAttempt(states.get(keys.account) ?? null, now, this.settings.accountThrottle),
            states.get(keys.account),
          ],
        ],
        [
          keys.address,
          [
            reserveAttempt(states.get(keys.address) ?? null, now, this.settings.addressThrottle),
            states.get(keys.address),
          ],
        ],
      ]);
      const locked = [...decisions.values()].some(([decision]) => decision.lockedUntil !== null);
      // A refused attempt is not counted on the key that had room left: only locks are kept.
      const next = new Map<string, ThrottleState>();
      for (const [key, [decision, before]] of decisions) {
        if (!locked || decision.lockedUntil !== null) next.set(key, decision.state);
        else if (before) next.set(key, before);
      }
      await this.throttle.save(sql, next);
      return latest([...decisions.values()].map(([decision]) => decision.lockedUntil));
    });
    if (lockedUntil) throw locked(lockedUntil, now);
  }

  /**
   * Counts a failed attempt, audited `login.failed` (anonymous, with the username tried, never the
   * password) and, when it locks the account or the address, `login.locked`.
   */
  private async fail(
    keys: { account: string; address: string },
    attempt: { id: string | null; username: string; reason: string },
    context: SignInContext,
  ): Promise<never> {
    const now = new Date();
    const lockedUntil = await this.transactions.run(async (sql) => {
      const states = await this.throttle.lock(sql, [keys.account, keys.address]);
      const policies = {
        [keys.account]: this.settings.accountThrottle,
        [keys.address]: this.settings.addressThrottle,
      };
      const next = new Map<string, ThrottleState>();
      const locks: (Date | null)[] = [];
      const lockedScopes: string[] = [];
      for (const [key, state] of states) {
        const decision = recordFailure(state, now, policies[key] ?? this.settings.accountThrottle);
        next.set(key, decision.state);
        locks.push(decision.lockedUntil);
        if (decision.lockedUntil) lockedScopes.push(key.slice(0, key.indexOf(':')));
      }
      await this.throttle.save(sql, next);
      await this.throttle.purge(sql, new Date(now.getTime() - this.settings.accountThrottle.windowMs));
      const lockedUntil = latest(locks);
      const actor = { kind: 'anonymous' as const, id: null, name: attempt.username };
      const target = userTarget(attempt);
      await this.audit.recordAll(sql, [
        {
          actor,
          action: 'login.failed',
          target,
          after: { reason: attempt.reason, clientAddress: context.clientAddress },
        },
        ...(lockedUntil
          ? [
              {
                actor,
                action: 'login.locked',
                target,
                after: {
                  lockedUntil,
                  scope: lockedScopes,
                  clientAddress: context.clientAddress,
                },
              },
            ]
          : []),
      ]);
      return lockedUntil;
    });
    if (lockedUntil) throw locked(lockedUntil, now);
    throw new AuthError(AuthErrorCode.InvalidCredentials, 'unknown username or wrong password', {
      field: 'body.password',
    });
  }

  /** Checked when there is no usable account, so that case costs what a wrong password costs. */
  private dummyHash(): Promise<string> {
    this.#dummyHash ??= this.hasher.hash(randomBytes(24).toString('base64url'));
    return this.#dummyHash;
  }
}

/** IPv4 clients seen through an IPv6 socket count as their IPv4 address. */
function addressOf(context: SignInContext): string {
  const address = context.clientAddress ?? 'unknown';
  return (address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address).slice(0, 64);
}

function latest(dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((max, date) => (date && (!max || date > max) ? date : max), null);
}

function locked(until: Date, now: Date): AuthError {
  const seconds = retryAfterSeconds(until, now);
  return new AuthError(AuthErrorCode.LoginLocked, `too many failed sign-ins: try again in ${seconds} s`, {
    retryAfterSeconds: seconds,
  });
}
