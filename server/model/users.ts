// Users, their roles and their password credentials. The password itself is never
// stored: only the verifier (synced to the branch's devices for offline sign-in) and
// the auth key (server only) that checks request and mutation proofs.
import type { UserRole } from '../../shared/domain/types';
import type { PasswordCredential } from '../../shared/node/password';
import type { DirectoryUser } from '../../shared/sync/records';
import type { Queryable } from '../db/database';
import { ServerError } from '../errors';
import { appendChanges } from '../sync/change-feed';
import { newId } from './ids';

export interface UserRow {
  id: string;
  branch_id: string | null;
  username: string;
  display_name: string;
  role: UserRole;
  disabled_at: string | null;
}

/** What authentication needs: the current key signs requests; every key ever held verifies mutations. */
export interface UserAuth {
  id: string;
  branchId: string | null;
  username: string;
  role: UserRole;
  disabled: boolean;
  currentAuthKey: string | null;
  allAuthKeys: string[];
}

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,39}$/;

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export async function addUser(
  tx: Queryable,
  input: {
    branchId: string | null;
    username: string;
    name: string;
    role: UserRole;
    credential: PasswordCredential;
  },
): Promise<UserRow> {
  const username = normaliseUsername(input.username);
  const name = input.name.trim();
  if (!USERNAME_RE.test(username)) {
    throw new ServerError(
      'invalid_argument',
      `Username "${username}" must be 2-40 lower-case letters, digits, '.', '_' or '-'`,
    );
  }
  if (!name) throw new ServerError('invalid_argument', 'A user needs a display name');
  if (input.role !== 'admin' && input.branchId === null) {
    throw new ServerError('invalid_argument', `A ${input.role} must belong to a branch (--branch)`);
  }
  const existing = await tx.query('select 1 from users where username = $1', [username]);
  if (existing.length > 0) throw new ServerError('conflict', `The username ${username} is taken`);
  const id = newId();
  await tx.query(
    'insert into users (id, branch_id, username, display_name, role) values ($1, $2, $3, $4, $5)',
    [id, input.branchId, username, name, input.role],
  );
  await tx.query(
    'insert into user_credentials (id, user_id, password_verifier, auth_key) values ($1, $2, $3, $4)',
    [newId(), id, input.credential.verifier, input.credential.authKey],
  );
  await appendChanges(tx, [userChange(id, input.branchId)]);
  return {
    id,
    branch_id: input.branchId,
    username,
    display_name: name,
    role: input.role,
    disabled_at: null,
  };
}

function userChange(userId: string, branchId: string | null) {
  return { entity: 'user' as const, entityId: userId, branchId, caseId: null, officerId: null };
}

export async function findUserByUsername(q: Queryable, username: string): Promise<UserRow> {
  const rows = await q.query<UserRow>(
    'select id, branch_id, username, display_name, role, disabled_at from users where username = $1',
    [normaliseUsername(username)],
  );
  const row = rows[0];
  if (!row) throw new ServerError('not_found', `No user named ${normaliseUsername(username)}`);
  return row;
}

export async function disableUser(tx: Queryable, username: string): Promise<UserRow> {
  const user = await findUserByUsername(tx, username);
  if (user.disabled_at) throw new ServerError('conflict', `${user.username} is already disabled`);
  const rows = await tx.query<{ disabled_at: string }>(
    'update users set disabled_at = now(), updated_at = now() where id = $1 returning disabled_at',
    [user.id],
  );
  await appendChanges(tx, [userChange(user.id, user.branch_id)]);
  return { ...user, disabled_at: rows[0]?.disabled_at ?? null };
}

/** A new password: the old credential is retired, not deleted (its key still verifies offline mutations). */
export async function resetPassword(
  tx: Queryable,
  username: string,
  credential: PasswordCredential,
): Promise<UserRow> {
  const user = await findUserByUsername(tx, username);
  await tx.query(
    'update user_credentials set retired_at = now() where user_id = $1 and retired_at is null',
    [user.id],
  );
  await tx.query(
    'insert into user_credentials (id, user_id, password_verifier, auth_key) values ($1, $2, $3, $4)',
    [newId(), user.id, credential.verifier, credential.authKey],
  );
  await tx.query('update users set updated_at = now() where id = $1', [user.id]);
  await appendChanges(tx, [userChange(user.id, user.branch_id)]);
  return user;
}

export async function loadUserAuth(
  q: Queryable,
  userIds: readonly string[],
): Promise<Map<string, UserAuth>> {
  const map = new Map<string, UserAuth>();
  if (userIds.length === 0) return map;
  const rows = await q.query<{
    id: string;
    branch_id: string | null;
    username: string;
    role: UserRole;
    disabled_at: string | null;
    auth_key: string | null;
    retired_at: string | null;
  }>(
    `select u.id, u.branch_id, u.username, u.role, u.disabled_at, c.auth_key, c.retired_at
       from users u left join user_credentials c on c.user_id = u.id
      where u.id = any($1::text[])
      order by c.created_at desc`,
    [userIds],
  );
  for (const r of rows) {
    let auth = map.get(r.id);
    if (!auth) {
      auth = {
        id: r.id,
        branchId: r.branch_id,
        username: r.username,
        role: r.role,
        disabled: r.disabled_at !== null,
        currentAuthKey: null,
        allAuthKeys: [],
      };
      map.set(r.id, auth);
    }
    if (r.auth_key) {
      auth.allAuthKeys.push(r.auth_key);
      if (r.retired_at === null) auth.currentAuthKey = r.auth_key;
    }
  }
  return map;
}

interface DirectoryRow {
  id: string;
  branch_id: string | null;
  username: string;
  display_name: string;
  role: UserRole;
  disabled_at: string | null;
  password_verifier: string | null;
}

const DIRECTORY_SELECT = `select u.id, u.branch_id, u.username, u.display_name, u.role, u.disabled_at, c.password_verifier
  from users u left join user_credentials c on c.user_id = u.id and c.retired_at is null`;

export function toDirectoryUser(r: DirectoryRow): DirectoryUser {
  const disabled = r.disabled_at !== null;
  return {
    id: r.id,
    branchId: r.branch_id,
    username: r.username,
    name: r.display_name,
    role: r.role,
    passwordVerifier: disabled ? null : r.password_verifier,
    disabled,
  };
}

/** The users a device of this branch may sign in (null: a head-office device, admins without a branch). */
export async function branchDirectory(
  q: Queryable,
  branchId: string | null,
): Promise<DirectoryUser[]> {
  const rows = await q.query<DirectoryRow>(
    `${DIRECTORY_SELECT} where u.branch_id is not distinct from $1 order by u.username`,
    [branchId],
  );
  return rows.map(toDirectoryUser);
}

export async function directoryUsersById(
  q: Queryable,
  ids: readonly string[],
): Promise<DirectoryUser[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<DirectoryRow>(`${DIRECTORY_SELECT} where u.id = any($1::text[])`, [
    ids,
  ]);
  return rows.map(toDirectoryUser);
}
