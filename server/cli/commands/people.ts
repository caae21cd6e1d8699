// Branches and users: create-branch, add-user, disable-user, reset-password, list-users.
import { USER_ROLES, type UserRole } from '../../../shared/domain/types';
import {
  checkPasswordPolicy,
  createPasswordCredential,
  generatePassword,
} from '../../../shared/node/password';
import { createBranch, findBranchByCode } from '../../model/branches';
import { addUser, disableUser, resetPassword } from '../../model/users';
import {
  CliUsageError,
  flag,
  requiredOption,
  stringOption,
  type CliCommand,
  type CommandContext,
} from '../cli-types';

/** A password from stdin (--password-stdin) or a generated one, printed once. */
async function choosePassword(
  ctx: CommandContext,
): Promise<{ password: string; generated: boolean }> {
  if (flag(ctx, 'password-stdin')) {
    const password = (await ctx.io.readStdinLine()).replace(/\r?\n$/, '');
    const problem = checkPasswordPolicy(password);
    if (problem) throw new CliUsageError(`The password from stdin is not acceptable: ${problem}`);
    return { password, generated: false };
  }
  return { password: generatePassword(), generated: true };
}

const passwordOption = {
  'password-stdin': {
    type: 'boolean' as const,
    description:
      'read the password from the first line of stdin (otherwise one is generated and printed once)',
  },
};

export const createBranchCommand: CliCommand = {
  name: 'create-branch',
  summary: 'create a branch (the unit a manager runs and devices belong to)',
  options: {
    code: {
      type: 'string',
      placeholder: 'CODE',
      description: 'short code, e.g. GZ01 (letters, digits, - and _)',
      required: true,
    },
    name: {
      type: 'string',
      placeholder: 'NAME',
      description: 'display name, e.g. "广州天河支行"',
      required: true,
    },
    timezone: {
      type: 'string',
      placeholder: 'TZ',
      description: 'IANA time zone of business dates (default Asia/Shanghai)',
    },
  },
  async run(ctx) {
    const tz = stringOption(ctx, 'timezone');
    const branch = await ctx.db.transaction((tx) =>
      createBranch(tx, {
        code: requiredOption(ctx, 'code'),
        name: requiredOption(ctx, 'name'),
        ...(tz ? { timezone: tz } : {}),
      }),
    );
    ctx.io.out(
      `Created branch ${branch.code} (${branch.name}, ${branch.timezone}), id ${branch.id}`,
    );
  },
};

export const addUserCommand: CliCommand = {
  name: 'add-user',
  summary: 'add an officer, manager or admin',
  details: ['Officers and managers belong to a branch; an admin may have none (head office).'],
  options: {
    username: {
      type: 'string',
      placeholder: 'LOGIN',
      description: 'sign-in name (lower case)',
      required: true,
    },
    name: { type: 'string', placeholder: 'NAME', description: 'display name', required: true },
    role: {
      type: 'string',
      placeholder: USER_ROLES.join('|'),
      description: 'role',
      required: true,
    },
    branch: {
      type: 'string',
      placeholder: 'CODE',
      description: 'branch code (required for officers and managers)',
    },
    ...passwordOption,
  },
  async run(ctx) {
    const role = requiredOption(ctx, 'role') as UserRole;
    if (!USER_ROLES.includes(role))
      throw new CliUsageError(`--role must be one of ${USER_ROLES.join(', ')}`);
    const branchCode = stringOption(ctx, 'branch');
    const { password, generated } = await choosePassword(ctx);
    const credential = await createPasswordCredential(password, ctx.scrypt); // before the transaction: scrypt is slow
    const user = await ctx.db.transaction(async (tx) => {
      const branch = branchCode ? await findBranchByCode(tx, branchCode) : null;
      return addUser(tx, {
        branchId: branch?.id ?? null,
        username: requiredOption(ctx, 'username'),
        name: requiredOption(ctx, 'name'),
        role,
        credential,
      });
    });
    ctx.io.out(
      `Added ${user.role} ${user.username} (${user.display_name})${branchCode ? ` to branch ${branchCode.toUpperCase()}` : ''}, id ${user.id}`,
    );
    if (generated)
      ctx.io.out(`Password (shown once, give it to ${user.username} in person): ${password}`);
  },
};

export const disableUserCommand: CliCommand = {
  name: 'disable-user',
  summary: 'disable a user: no more sign-ins, online or (after the next sync) offline',
  options: {
    username: {
      type: 'string',
      placeholder: 'LOGIN',
      description: 'the user to disable',
      required: true,
    },
  },
  async run(ctx) {
    const user = await ctx.db.transaction((tx) => disableUser(tx, requiredOption(ctx, 'username')));
    ctx.io.out(
      `Disabled ${user.username}. Devices of the branch drop the user's sign-in at their next sync.`,
    );
  },
};

export const resetPasswordCommand: CliCommand = {
  name: 'reset-password',
  summary: "set a new password for a user (the old one stops working at the branch's next sync)",
  options: {
    username: { type: 'string', placeholder: 'LOGIN', description: 'the user', required: true },
    ...passwordOption,
  },
  async run(ctx) {
    const username = requiredOption(ctx, 'username');
    const { password, generated } = await choosePassword(ctx);
    const credential = await createPasswordCredential(password, ctx.scrypt);
    const user = await ctx.db.transaction((tx) => resetPassword(tx, username, credential));
    ctx.io.out(`New password set for ${user.username}.`);
    if (generated) ctx.io.out(`Password (shown once): ${password}`);
  },
};

export const listUsersCommand: CliCommand = {
  name: 'list-users',
  summary: 'list users, optionally of one branch',
  options: {
    branch: { type: 'string', placeholder: 'CODE', description: 'only this branch' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run(ctx) {
    const code = stringOption(ctx, 'branch');
    const branch = code ? await findBranchByCode(ctx.db, code) : null;
    const rows = await ctx.db.query<{
      id: string;
      username: string;
      display_name: string;
      role: string;
      branch_code: string | null;
      disabled_at: string | null;
    }>(
      `select u.id, u.username, u.display_name, u.role, b.code as branch_code, u.disabled_at
         from users u left join branches b on b.id = u.branch_id
        where ($1::text is null or u.branch_id = $1) order by b.code nulls first, u.username`,
      [branch?.id ?? null],
    );
    if (flag(ctx, 'json')) return ctx.io.out(JSON.stringify(rows, null, 2));
    if (rows.length === 0) return ctx.io.out('No users.');
    for (const r of rows) {
      ctx.io.out(
        `${r.username.padEnd(20)} ${r.role.padEnd(8)} ${(r.branch_code ?? '(head office)').padEnd(14)} ${r.disabled_at ? 'DISABLED ' : ''}${r.display_name}  ${r.id}`,
      );
    }
  },
};
