// The admin CLI, run in-process against the test database: help, every command, and the
// errors an operator would see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../shared/node/password';
import type { Database } from '../../server/db/database';
import { COMMANDS, runAdmin } from '../../server/cli/run-admin';
import { enrolDevice } from '../../server/model/devices';
import { testBackends } from './helpers/backends';
import { TEST_SCRYPT } from './helpers/world';

interface Run {
  code: number;
  out: string;
  err: string;
}

describe.each(testBackends())('admin CLI on $name', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  async function admin(args: string[], stdin = ''): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAdmin(args, {
      io: {
        out: (l) => void out.push(l),
        err: (l) => void err.push(l),
        readStdinLine: async () => stdin,
      },
      // The CLI closes what it opens; the test keeps its schema until the end.
      openDb: async () => ({ ...db, close: async () => undefined }),
      defaultActor: 'cli:tester',
      scrypt: TEST_SCRYPT,
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('prints help for the program and for each command', async () => {
    const help = await admin(['--help']);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.out).toContain(c.name);
    expect((await admin([])).code).toBe(2);
    const one = await admin(['add-user', '--help']);
    expect(one.code).toBe(0);
    expect(one.out).toMatch(
      /Usage: npm run admin -- add-user --username LOGIN --name NAME --role officer\|manager\|admin/,
    );
    expect(one.out).toContain('--password-stdin');
  });

  it('explains unknown commands, unknown options and missing options', async () => {
    expect(await admin(['create-brunch'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/unknown command "create-brunch".*Did you mean create-branch\?/),
    });
    expect(await admin(['create-branch', '--code', 'X1', '--colour', 'red'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/Unknown option '--colour'/),
    });
    expect(await admin(['create-branch', '--code', 'X1'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/missing --name/),
    });
  });

  it('creates branches, refusing duplicates and unknown time zones', async () => {
    const ok = await admin(['create-branch', '--code', 'gz01', '--name', '广州天河支行']);
    expect(ok).toMatchObject({
      code: 0,
      out: expect.stringMatching(/Created branch GZ01 \(广州天河支行, Asia\/Shanghai\)/),
    });
    expect(await admin(['create-branch', '--code', 'GZ01', '--name', 'again'])).toMatchObject({
      code: 1,
      err: 'error: A branch with code GZ01 already exists',
    });
    expect(
      await admin(['create-branch', '--code', 'SZ01', '--name', 'x', '--timezone', 'Mars/Olympus']),
    ).toMatchObject({ code: 1, err: expect.stringMatching(/Unknown time zone/) });
    expect((await admin(['create-branch', '--code', 'SZ01', '--name', '深圳南山支行'])).code).toBe(
      0,
    );
  });

  it('adds users with a generated password shown once, or one read from stdin', async () => {
    const added = await admin([
      'add-user',
      '--branch',
      'GZ01',
      '--username',
      'LiWei',
      '--name',
      '李伟',
      '--role',
      'officer',
    ]);
    expect(added.code).toBe(0);
    const password = /Password \(shown once.*\): (\S+)/.exec(added.out)?.[1] as string;
    expect(password).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    const verifier = (
      await db.query<{ password_verifier: string }>(
        `select c.password_verifier from user_credentials c join users u on u.id = c.user_id where u.username = 'liwei' and c.retired_at is null`,
      )
    )[0]?.password_verifier as string;
    expect((await signIn(password, verifier)).ok).toBe(true);
    expect(JSON.stringify(await db.query('select * from user_credentials'))).not.toContain(
      password,
    );

    const fromStdin = await admin(
      [
        'add-user',
        '--branch',
        'GZ01',
        '--username',
        'wangfang',
        '--name',
        '王芳',
        '--role',
        'officer',
        '--password-stdin',
      ],
      'correct horse battery',
    );
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.out).not.toMatch(/Password/);
    expect(
      (
        await admin([
          'add-user',
          '--branch',
          'GZ01',
          '--username',
          'zhangmin',
          '--name',
          '张敏',
          '--role',
          'manager',
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await admin([
          'add-user',
          '--branch',
          'SZ01',
          '--username',
          'liuyang',
          '--name',
          '刘洋',
          '--role',
          'officer',
        ])
      ).code,
    ).toBe(0);
    expect(
      (await admin(['add-user', '--username', 'root', '--name', 'HQ', '--role', 'admin'])).code,
    ).toBe(0);

    expect(
      await admin(
        ['add-user', '--username', 'x1', '--name', 'x', '--role', 'officer', '--password-stdin'],
        'short',
      ),
    ).toMatchObject({ code: 2, err: expect.stringMatching(/at least 8 characters/) });
    expect(
      await admin(['add-user', '--username', 'x2', '--name', 'x', '--role', 'officer']),
    ).toMatchObject({ code: 1, err: expect.stringMatching(/must belong to a branch/) });
    expect(
      await admin(['add-user', '--username', 'x3', '--name', 'x', '--role', 'boss']),
    ).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--role must be one of officer, manager, admin/),
    });
    expect(
      await admin([
        'add-user',
        '--branch',
        'GZ01',
        '--username',
        'liwei',
        '--name',
        'x',
        '--role',
        'officer',
      ]),
    ).toMatchObject({ code: 1, err: expect.stringMatching(/taken/) });
    const list = await admin(['list-users', '--branch', 'GZ01']);
    expect(list.out.split('\n').map((l) => l.split(/\s+/)[0])).toEqual([
      'liwei',
      'wangfang',
      'zhangmin',
    ]);
  });

  it('resets a password and disables a user', async () => {
    const before = (
      await db.query<{ n: number }>(
        `select count(*)::int as n from user_credentials c join users u on u.id = c.user_id where u.username = 'wangfang'`,
      )
    )[0]?.n;
    const reset = await admin(['reset-password', '--username', 'wangfang']);
    expect(reset).toMatchObject({
      code: 0,
      out: expect.stringMatching(/Password \(shown once\): \S+/),
    });
    const creds = await db.query<{ retired_at: string | null }>(
      `select c.retired_at from user_credentials c join users u on u.id = c.user_id where u.username = 'wangfang' order by c.created_at`,
    );
    expect(creds).toHaveLength((before ?? 0) + 1);
    expect(creds.filter((c) => c.retired_at === null)).toHaveLength(1);

    expect((await admin(['disable-user', '--username', 'wangfang'])).code).toBe(0);
    expect(await admin(['disable-user', '--username', 'wangfang'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/already disabled/),
    });
    expect(await admin(['disable-user', '--username', 'nobody'])).toMatchObject({
      code: 1,
      err: 'error: No user named nobody',
    });
  });

  it('seeds demo cases, assigns and reassigns them', async () => {
    expect(await admin(['seed-demo', '--branch', 'GZ01', '--cases', '3'])).toMatchObject({
      code: 0,
      out: 'Added 3 demo cases.',
    });
    const unassigned = await admin(['list-cases', '--branch', 'GZ01', '--unassigned', '--json']);
    const cases = JSON.parse(unassigned.out) as { id: string; officer: string | null }[];
    expect(cases).toHaveLength(3);
    const caseId = cases[0]?.id as string;

    expect((await admin(['assign-case', '--case', caseId, '--officer', 'liwei'])).code).toBe(0);
    expect(await admin(['assign-case', '--case', caseId, '--officer', 'liwei'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/already assigned to liwei; use reassign-case/),
    });
    expect(
      await admin(['reassign-case', '--case', cases[1]?.id as string, '--officer', 'liwei']),
    ).toMatchObject({ code: 1, err: expect.stringMatching(/use assign-case/) });
    expect(await admin(['reassign-case', '--case', caseId, '--officer', 'zhangmin'])).toMatchObject(
      { code: 1, err: expect.stringMatching(/is a manager, not an officer/) },
    );
    expect(await admin(['reassign-case', '--case', caseId, '--officer', 'liuyang'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/another branch/),
    });
    expect(await admin(['reassign-case', '--case', caseId, '--officer', 'wangfang'])).toMatchObject(
      { code: 1, err: expect.stringMatching(/disabled/) },
    );
    expect(
      (
        await admin([
          'add-user',
          '--branch',
          'GZ01',
          '--username',
          'chenjing',
          '--name',
          '陈静',
          '--role',
          'officer',
        ])
      ).code,
    ).toBe(0);
    expect(await admin(['reassign-case', '--case', caseId, '--officer', 'chenjing'])).toMatchObject(
      { code: 0, out: expect.stringMatching(/reassigned to chenjing/) },
    );

    const history = await db.query<{ username: string; ended: boolean; assigned_by: string }>(
      `select u.username, a.ended_at is not null as ended, a.assigned_by from case_assignments a join users u on u.id = a.officer_id where a.case_id = $1 order by a.assigned_at`,
      [caseId],
    );
    expect(history).toEqual([
      { username: 'liwei', ended: true, assigned_by: 'cli:tester' },
      { username: 'chenjing', ended: false, assigned_by: 'cli:tester' },
    ]);
    const mine = await admin(['list-cases', '--branch', 'GZ01', '--officer', 'chenjing']);
    expect(mine.out).toContain(caseId);
  });

  it('issues enrolment codes, lists and revokes devices', async () => {
    const issued = await admin([
      'issue-enrolment-code',
      '--branch',
      'GZ01',
      '--device-name',
      'Li Wei laptop',
      '--expires-in',
      '2h',
      '--as',
      'ops:zhou',
    ]);
    expect(issued.code).toBe(0);
    const code = /Enrolment code: (\S+)/.exec(issued.out)?.[1] as string;
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const { device } = await db.transaction((tx) =>
      enrolDevice(tx, { code, deviceName: 'ignored' }),
    );
    expect(device).toMatchObject({ name: 'Li Wei laptop', enrolled_by: 'ops:zhou' });

    expect(
      await admin(['issue-enrolment-code', '--branch', 'GZ01', '--head-office']),
    ).toMatchObject({
      code: 2,
      err: expect.stringMatching(/either --branch CODE or --head-office/),
    });
    expect(
      await admin(['issue-enrolment-code', '--branch', 'GZ01', '--expires-in', 'soon']),
    ).toMatchObject({ code: 2, err: expect.stringMatching(/not a duration/) });
    expect(await admin(['issue-enrolment-code', '--branch', 'XX99'])).toMatchObject({
      code: 1,
      err: 'error: No branch with code XX99',
    });

    expect((await admin(['list-devices'])).out).toMatch(
      new RegExp(`${device.id}\\s+GZ01\\s+Li Wei laptop`),
    );
    expect(await admin(['revoke-device', '--device', device.id])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/wipe instruction/),
    });
    expect((await admin(['list-devices'])).out).toBe('No devices.');
    expect((await admin(['list-devices', '--all'])).out).toMatch(/REVOKED/);
    expect(await admin(['revoke-device', '--device', device.id])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/already revoked/),
    });
    const revoked = await db.query<{ revoked_by: string }>(
      'select revoked_by from devices where id = $1',
      [device.id],
    );
    expect(revoked[0]?.revoked_by).toBe('cli:tester');
  });

  it('asks for the branch a portfolio file belongs to', async () => {
    expect(await admin(['import-portfolio', 'portfolio.csv'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/branch/),
    });
  });

  it('compacts the change feed', async () => {
    await db.query(`update changes set created_at = now() - interval '100 days'`);
    const res = await admin(['compact-feed', '--older-than-days', '90']);
    expect(res).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Removed [1-9]\d* change rows/),
    });
    expect(await db.query('select 1 from changes')).toEqual([]);
    expect((await admin(['compact-feed', '--older-than-days', '0'])).code).toBe(2);
  });
});
