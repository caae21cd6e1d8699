// POST /v1/enrol and GET /v1/directory: one-time codes that expire, tokens kept only as
// hashes, and the sign-in directory a device needs to work offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordCredential, signIn } from '../../shared/node/password';
import { SyncHttpError } from '../../shared/node/sync-http';
import type { Database } from '../../server/db/database';
import { issueEnrolmentCode, sha256Hex } from '../../server/model/devices';
import { resetPassword } from '../../server/model/users';
import { testBackends } from './helpers/backends';
import { TEST_SCRYPT, contactPayload, createWorld, type World } from './helpers/world';

describe.each(testBackends())('enrolment on $name', (backend) => {
  let db: Database;
  let w: World;
  beforeAll(async () => {
    db = await backend.open();
    w = await createWorld(db);
  });
  afterAll(async () => {
    await w?.close();
    await db?.close();
  });

  const issue = (opts: { ttlMs?: number; now?: Date; branchId?: string | null } = {}) =>
    db.transaction((tx) =>
      issueEnrolmentCode(tx, {
        branchId: opts.branchId === undefined ? w.branches.a.id : opts.branchId,
        issuedBy: 'cli:ops',
        ...opts,
      }),
    );

  async function enrolError(code: string): Promise<SyncHttpError> {
    const err = await w.client.enrol(code, 'laptop').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncHttpError);
    return err as SyncHttpError;
  }

  it('exchanges a code for a device token and the directory of its branch', async () => {
    const { code } = await issue();
    const enrolled = await w.client.enrol(code, 'Li Wei laptop');
    expect(enrolled.deviceToken).toMatch(/^fbd_[A-Za-z0-9_-]{43}$/);
    expect(enrolled.branch).toMatchObject({
      id: w.branches.a.id,
      code: 'GZ01',
      timezone: 'Asia/Shanghai',
    });
    expect(enrolled.users.map((u) => u.username).sort()).toEqual([
      'disableda',
      'managera',
      'officera1',
      'officera2',
    ]);
    // The directory is enough to sign in offline, and yields the key that signs requests.
    const officer = enrolled.users.find((u) => u.username === 'officera1');
    const session = await signIn(w.users.officerA1.password, officer?.passwordVerifier ?? '');
    expect(session).toEqual({ ok: true, authKey: w.users.officerA1.authKey });
    expect(await signIn('wrong password', officer?.passwordVerifier ?? '')).toEqual({ ok: false });

    const rows = await db.query<{ token_hash: string; enrolled_by: string; name: string }>(
      'select token_hash, enrolled_by, name from devices where id = $1',
      [enrolled.deviceId],
    );
    expect(rows[0]).toEqual({
      token_hash: sha256Hex(enrolled.deviceToken),
      enrolled_by: 'cli:ops',
      name: 'Li Wei laptop',
    });
    const dump =
      JSON.stringify(await db.query('select * from devices')) +
      JSON.stringify(await db.query('select * from enrolment_codes'));
    expect(dump).not.toContain(enrolled.deviceToken);
    expect(dump).not.toContain(code);

    const directory = await w.client.directory(enrolled);
    expect(directory.users.map((u) => u.id).sort()).toEqual(enrolled.users.map((u) => u.id).sort());
  });

  it('accepts a code typed in lower case, with spaces, or with O for zero', async () => {
    const { code } = await issue();
    const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    await expect(w.client.enrol(typed, 'laptop')).resolves.toMatchObject({
      deviceId: expect.any(String),
    });
  });

  it('uses a code once', async () => {
    const { code } = await issue();
    await w.client.enrol(code, 'first');
    const err = await enrolError(code);
    expect(err).toMatchObject({ status: 409, code: 'enrolment_code_used' });
  });

  it('refuses an expired code and an unknown one', async () => {
    const { code } = await issue({
      ttlMs: 60 * 60 * 1000,
      now: new Date(Date.now() - 2 * 60 * 60 * 1000),
    });
    expect(await enrolError(code)).toMatchObject({ status: 400, code: 'enrolment_code_expired' });
    expect(await enrolError('ABCD-EFGH-JKMN')).toMatchObject({
      status: 400,
      code: 'enrolment_code_invalid',
    });
  });

  it('two devices racing for one code: one is enrolled', async () => {
    const { code } = await issue();
    const results = await Promise.allSettled([
      w.client.enrol(code, 'x'),
      w.client.enrol(code, 'y'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('enrols a head-office device whose directory holds only head-office users', async () => {
    const { code } = await issue({ branchId: null });
    const enrolled = await w.client.enrol(code, 'HQ');
    expect(enrolled.branch).toBeNull();
    expect(enrolled.users.map((u) => u.role)).toEqual(['admin']);
  });

  it('after a password reset: the old key no longer signs requests, its offline mutations are still accepted', async () => {
    const user = w.users.officerA2;
    const c = w.cases.a2[0] as string;
    const recordedBefore = w.mutation(w.devices.a2, user, c, 'fact', contactPayload());
    const fresh = await createPasswordCredential('a brand new password', TEST_SCRYPT);
    await db.transaction((tx) => resetPassword(tx, user.username, fresh));

    const err = await w.client.pull(w.devices.a2, user, null).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, code: 'bad_proof' });
    const directory = await w.client.directory(w.devices.a2);
    const verifier = directory.users.find((u) => u.id === user.id)?.passwordVerifier ?? '';
    expect(await signIn(user.password, verifier)).toEqual({ ok: false });
    const session = await signIn('a brand new password', verifier);
    expect(session.ok).toBe(true);
    const signedIn = { ...user, authKey: session.ok ? session.authKey : '' };
    const res = await w.client.push(w.devices.a2, signedIn, [recordedBefore]);
    expect(res.results[0]?.status).toBe('accepted');
    w.users.officerA2 = signedIn;
  });
});
