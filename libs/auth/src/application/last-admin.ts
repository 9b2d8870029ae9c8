import type { SqlExecutor } from '@rampart/database';

import { AuthError, AuthErrorCode } from '../domain/auth-error';
import type { StoredUser, UserStore } from './user-store';

export const userNotFound = (id: string) =>
  new AuthError(AuthErrorCode.UserNotFound, `no user ${id}`, { field: 'param.id' });

/** Someone must still be able to sign in to administer: the last enabled admin stays one. */
export async function assertNotLastAdmin(
  users: UserStore,
  sql: SqlExecutor,
  user: StoredUser,
): Promise<void> {
  if (user.role !== 'admin' || user.disabledAt !== null) return;
  if ((await users.otherActiveAdmins(sql, user.id)) === 0) {
    throw new AuthError(
      AuthErrorCode.LastAdmin,
      'this is the last enabled admin user: make another user admin first, so someone can still sign in to administer',
    );
  }
}
