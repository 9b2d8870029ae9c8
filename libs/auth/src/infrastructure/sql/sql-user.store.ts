import { Injectable } from '@nestjs/common';

import { SqlExecutor } from '@rampart/database';

import {
  type NewUser,
  type StoredUser,
  type UserChanges,
  type UserCredentials,
  UserStore,
} from '../../application/user-store';

const COLUMNS = `id::text, username, display_name AS "displayName", role, auth_source AS "authSource",
  oidc_subject AS "oidcSubject", disabled_at AS "disabledAt", created_at AS "createdAt",
  updated_at AS "updatedAt", last_login_at AS "lastLoginAt"`;

@Injectable()
export class SqlUserStore extends UserStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  async credentialsOf(username: string): Promise<UserCredentials | null> {
    const [row] = await this.sql.query<UserCredentials>(
      `SELECT id::text, username, role, password_hash AS "passwordHash", disabled_at IS NOT NULL AS disabled
         FROM user_account WHERE username = $1`,
      [username],
    );
    return row ?? null;
  }

  async passwordHashOf(id: string): Promise<string | null> {
    const [row] = await this.sql.query<{ hash: string | null }>(
      `SELECT password_hash AS hash FROM user_account WHERE id = $1`,
      [id],
    );
    return row?.hash ?? null;
  }

  list(): Promise<StoredUser[]> {
    return this.sql.query<StoredUser>(`SELECT ${COLUMNS} FROM user_account ORDER BY username`);
  }

  async findById(id: string): Promise<StoredUser | null> {
    const [row] = await this.sql.query<StoredUser>(`SELECT ${COLUMNS} FROM user_account WHERE id = $1`, [id]);
    return row ?? null;
  }

  async findByUsername(sql: SqlExecutor, username: string): Promise<StoredUser | null> {
    const [row] = await sql.query<StoredUser>(`SELECT ${COLUMNS} FROM user_account WHERE username = $1`, [
      username,
    ]);
    return row ?? null;
  }

  async findByOidcSubject(sql: SqlExecutor, issuer: string, subject: string): Promise<StoredUser | null> {
    const [row] = await sql.query<StoredUser>(
      `SELECT ${COLUMNS} FROM user_account WHERE oidc_issuer = $1 AND oidc_subject = $2`,
      [issuer, subject],
    );
    return row ?? null;
  }

  async insert(sql: SqlExecutor, user: NewUser): Promise<StoredUser | null> {
    const [row] = await sql.query<StoredUser>(
      `INSERT INTO user_account (username, display_name, role, auth_source, password_hash, oidc_issuer, oidc_subject)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ON CONSTRAINT uq_user_account_username DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        user.username,
        user.displayName,
        user.role,
        user.authSource,
        user.passwordHash,
        user.oidcIssuer,
        user.oidcSubject,
      ],
    );
    return row ?? null;
  }

  async lock(sql: SqlExecutor, id: string): Promise<StoredUser | null> {
    const [row] = await sql.query<StoredUser>(
      `SELECT ${COLUMNS} FROM user_account WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ?? null;
  }

  async update(sql: SqlExecutor, id: string, changes: UserChanges): Promise<StoredUser> {
    const [row] = await sql.query<StoredUser>(
      `UPDATE user_account SET
          display_name = CASE WHEN $2 THEN $3 ELSE display_name END,
          role = coalesce($4, role),
          disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at
                             WHEN $5 THEN coalesce(disabled_at, now()) ELSE NULL END,
          password_hash = coalesce($6, password_hash),
          auth_source = CASE WHEN $9 THEN 'local' WHEN $7::text IS NOT NULL THEN 'oidc' ELSE auth_source END,
          oidc_issuer = CASE WHEN $9 THEN NULL ELSE coalesce($7, oidc_issuer) END,
          oidc_subject = CASE WHEN $9 THEN NULL ELSE coalesce($8, oidc_subject) END,
          updated_at = now()
        WHERE id = $1
        RETURNING ${COLUMNS}`,
      [
        id,
        changes.displayName !== undefined,
        changes.displayName ?? null,
        changes.role ?? null,
        changes.disabled ?? null,
        changes.passwordHash ?? null,
        changes.oidc?.issuer ?? null,
        changes.oidc?.subject ?? null,
        changes.local === true,
      ],
    );
    return row as StoredUser;
  }

  async delete(sql: SqlExecutor, id: string): Promise<void> {
    await sql.query(`DELETE FROM user_account WHERE id = $1`, [id]);
  }

  async otherActiveAdmins(sql: SqlExecutor, exceptId: string | null): Promise<number> {
    const rows = await sql.query<{ id: string }>(
      `SELECT id::text FROM user_account
        WHERE role = 'admin' AND disabled_at IS NULL AND id IS DISTINCT FROM $1::uuid
        FOR UPDATE`,
      [exceptId],
    );
    return rows.length;
  }

  async recordLogin(sql: SqlExecutor, id: string): Promise<void> {
    await sql.query(`UPDATE user_account SET last_login_at = now() WHERE id = $1`, [id]);
  }
}
