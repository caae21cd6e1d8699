// The admin commands branch IT runs at head office: create-provisioning (a signed file whose
// code really enrols a laptop, once), provisioning-key, verify-provisioning,
// publish-release, set-rollout and show-rollout. Run in-process, the way run-admin.ts runs
// them; the ones on files only must never open the database (PGlite's lock).
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProvisioningCommand,
  provisioningKeyCommand,
} from '../../server/cli/commands/provisioning';
import { COMMANDS, runAdmin } from '../../server/cli/run-admin';
import {
  publishReleaseCommand,
  setRolloutCommand,
  showRolloutCommand,
} from '../../server/cli/commands/rollout';
import {
  CliUsageError,
  type BaseCommandContext,
  type CliCommand,
  type OptionValues,
} from '../../server/cli/cli-types';
import type { Database } from '../../server/db/database';
import { createBranch } from '../../server/model/branches';
import { enrolDevice } from '../../server/model/devices';
import { readRollout } from '../../server/updates/rollout';
import {
  createProvisioningFile,
  loadOrCreateSigningKey,
  serializeProvisioningFile,
  verifyProvisioningFile,
} from '../../shared/node/provisioning';
import { formatFingerprint } from '../../shared/provisioning';
import { testBackends } from '../server/helpers/backends';
import { TEST_SCRYPT } from '../server/helpers/world';
import { NOW, payload, tempDir } from './helpers';
import { makeRelease } from './release-fixture';

interface Run {
  out: string[];
  err: string[];
}

/** Runs one command; `db` null for the commands on files only (needsDb: false). */
async function run(cmd: CliCommand, db: Database | null, values: OptionValues): Promise<Run> {
  const result: Run = { out: [], err: [] };
  const ctx: BaseCommandContext = {
    values,
    positionals: [],
    io: {
      out: (l) => void result.out.push(l),
      err: (l) => void result.err.push(l),
      readStdinLine: async () => '',
    },
    actor: 'cli:it-admin',
    scrypt: TEST_SCRYPT,
    now: () => NOW,
  };
  if (cmd.needsDb === false) await cmd.run(ctx);
  else if (db === null) throw new Error(`${cmd.name} needs the database`);
  else await cmd.run({ ...ctx, db });
  return result;
}

describe.each(testBackends())('create-provisioning on $name', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await backend.open();
    await db.transaction((tx) =>
      createBranch(tx, { code: 'PA-CG01', name: '平安县农村商业银行 城关支行' }),
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('writes a signed file whose one-time code enrols a laptop once', async () => {
    const dir = tempDir();
    const out = join(dir, 'li-wei', 'fieldbook-provisioning.json');
    mkdirSync(join(dir, 'li-wei'));
    const keyFile = join(dir, 'keys', 'provisioning.pem');
    const result = await run(createProvisioningCommand, db, {
      branch: 'pa-cg01',
      'server-url': 'https://fieldbook.example.cn/',
      'device-name': 'Li Wei laptop',
      language: 'en',
      channel: 'pilot',
      out,
      'key-file': keyFile,
    });
    expect(result.out.join('\n')).toMatch(/Made a new provisioning signing key/);
    expect(result.out.join('\n')).toContain('PA-CG01 平安县农村商业银行 城关支行');

    const verified = verifyProvisioningFile(readFileSync(out), { now: NOW });
    expect(verified.payload).toMatchObject({
      serverUrl: 'https://fieldbook.example.cn',
      branchCode: 'PA-CG01',
      branchName: '平安县农村商业银行 城关支行',
      defaultLanguage: 'en',
      updateChannel: 'pilot',
      policyPackId: 'cn-default',
      createdBy: 'cli:it-admin',
      createdAt: NOW.toISOString(),
      expiresAt: '2026-12-05T02:00:00.000Z',
    });
    expect(verified.payload.enrolmentCodeExpiresAt).toBe(verified.payload.expiresAt);

    const enrolled = await db.transaction((tx) =>
      enrolDevice(tx, {
        code: verified.payload.enrolmentCode,
        deviceName: 'Li Wei laptop',
        now: NOW,
      }),
    );
    expect(enrolled.device.branch_id).not.toBeNull();
    await expect(
      db.transaction((tx) =>
        enrolDevice(tx, { code: verified.payload.enrolmentCode, deviceName: 'again', now: NOW }),
      ),
    ).rejects.toMatchObject({
      code: 'enrolment_code_used',
    });

    // The same key signs the next file; provisioning-key shows its fingerprint.
    const keyInfo = await run(provisioningKeyCommand, null, { 'key-file': keyFile, json: true });
    expect(JSON.parse(keyInfo.out.join('\n'))).toMatchObject({
      fingerprint: verified.keyFingerprint,
      createdNow: false,
    });
  });

  it('refuses a bad server URL before issuing any code', async () => {
    const dir = tempDir();
    const before = await db.query<{ n: string }>('select count(*)::text as n from enrolment_codes');
    await expect(
      run(createProvisioningCommand, db, {
        branch: 'PA-CG01',
        'server-url': 'http://10.0.0.5:8787',
        out: join(dir, 'p.json'),
        'key-file': join(dir, 'k.pem'),
      }),
    ).rejects.toThrow(CliUsageError);
    const after = await db.query<{ n: string }>('select count(*)::text as n from enrolment_codes');
    expect(after[0]?.n).toBe(before[0]?.n);
    expect(existsSync(join(dir, 'p.json'))).toBe(false);
  });

  it('allows plain http only when asked, and says so', async () => {
    const dir = tempDir();
    const result = await run(createProvisioningCommand, db, {
      branch: 'PA-CG01',
      'server-url': 'http://10.0.0.5:8787',
      'allow-insecure-http': true,
      out: join(dir, 'p.json'),
      'key-file': join(dir, 'k.pem'),
    });
    expect(result.out.join('\n')).toContain('PLAIN HTTP');
    expect(
      verifyProvisioningFile(readFileSync(join(dir, 'p.json')), { now: NOW }).payload
        .allowInsecureHttp,
    ).toBe(true);
  });

  it('refuses an unknown branch, policy pack, language, a lifetime over 30 days, and overwriting', async () => {
    const dir = tempDir();
    const base = {
      'server-url': 'https://fieldbook.example.cn',
      out: join(dir, 'p.json'),
      'key-file': join(dir, 'k.pem'),
    };
    await expect(run(createProvisioningCommand, db, { ...base, branch: 'NOPE' })).rejects.toThrow(
      /No branch with code NOPE/,
    );
    await expect(
      run(createProvisioningCommand, db, { ...base, branch: 'PA-CG01', 'policy-pack': 'xx' }),
    ).rejects.toThrow(/policy pack/);
    await expect(
      run(createProvisioningCommand, db, { ...base, branch: 'PA-CG01', language: 'fr' }),
    ).rejects.toThrow(/--language/);
    await expect(
      run(createProvisioningCommand, db, { ...base, branch: 'PA-CG01', 'expires-in': '31d' }),
    ).rejects.toThrow(/30d/);
    writeFileSync(join(dir, 'p.json'), 'keep me');
    await expect(
      run(createProvisioningCommand, db, { ...base, branch: 'PA-CG01' }),
    ).rejects.toThrow(/--force/);
    expect(readFileSync(join(dir, 'p.json'), 'utf8')).toBe('keep me');
  });
});

describe('publish-release, set-rollout, show-rollout', () => {
  const noDb = null; // these commands work on the releases folder only

  it('publishes a checked release into a channel with its rollout, artifacts before latest*.yml', async () => {
    const root = tempDir();
    const release = makeRelease(join(root, 'download'));
    const releasesDir = join(root, 'releases');
    const result = await run(publishReleaseCommand, noDb, {
      channel: 'stable',
      from: release.dir,
      percent: '10',
      'releases-dir': releasesDir,
    });
    expect(result.out[0]).toBe(
      'Published 0.2.0 to channel stable (6 files), reaching about 10% of laptops.',
    );
    expect(readdirSync(join(releasesDir, 'stable')).sort()).toEqual(
      [
        'Fieldbook-0.2.0-x86_64.AppImage',
        'Fieldbook-Setup-0.2.0.exe',
        'Fieldbook-Setup-0.2.0.exe.blockmap',
        'SHA256SUMS.txt',
        'latest-linux.yml',
        'latest.yml',
        'rollout.json',
      ].sort(),
    );
    expect(readRollout(releasesDir, 'stable')).toEqual({
      percent: 10,
      version: '0.2.0',
      updatedAt: NOW.toISOString(),
      updatedBy: 'cli:it-admin',
    });
  });

  it('refuses a truncated download (size differs from latest.yml) and copies nothing', async () => {
    const root = tempDir();
    const release = makeRelease(join(root, 'download'), '0.2.0', { sums: false });
    const exe = join(release.dir, 'Fieldbook-Setup-0.2.0.exe');
    writeFileSync(exe, (release.files['Fieldbook-Setup-0.2.0.exe'] as Buffer).subarray(0, 1000));
    await expect(
      run(publishReleaseCommand, noDb, {
        channel: 'stable',
        from: release.dir,
        percent: '10',
        'releases-dir': join(root, 'r'),
      }),
    ).rejects.toThrow(/incomplete/);
    expect(existsSync(join(root, 'r', 'stable'))).toBe(false);
  });

  it('refuses a damaged download (same size, other bytes) by SHA-512', async () => {
    const root = tempDir();
    const release = makeRelease(join(root, 'download'), '0.2.0', { sums: false });
    const exe = join(release.dir, 'Fieldbook-Setup-0.2.0.exe');
    const bytes = Buffer.from(release.files['Fieldbook-Setup-0.2.0.exe'] as Buffer);
    bytes[500] = (bytes[500] as number) ^ 0xff;
    writeFileSync(exe, bytes);
    await expect(
      run(publishReleaseCommand, noDb, {
        channel: 'stable',
        from: release.dir,
        percent: '10',
        'releases-dir': join(root, 'r'),
      }),
    ).rejects.toThrow(/SHA-512/);
  });

  it('refuses a file that does not match SHA256SUMS.txt', async () => {
    const root = tempDir();
    const release = makeRelease(join(root, 'download'));
    writeFileSync(join(release.dir, 'Fieldbook-Setup-0.2.0.exe.blockmap'), Buffer.from('other'));
    await expect(
      run(publishReleaseCommand, noDb, {
        channel: 'stable',
        from: release.dir,
        percent: '10',
        'releases-dir': join(root, 'r'),
      }),
    ).rejects.toThrow(/does not match SHA256SUMS.txt/);
  });

  it('set-rollout raises the share for the version in the channel and show-rollout reports it', async () => {
    const root = tempDir();
    const releasesDir = join(root, 'releases');
    await run(publishReleaseCommand, noDb, {
      channel: 'stable',
      from: makeRelease(join(root, 'd')).dir,
      percent: '10',
      'releases-dir': releasesDir,
    });
    const set = await run(setRolloutCommand, noDb, {
      channel: 'stable',
      percent: '50%',
      'releases-dir': releasesDir,
    });
    expect(set.out[0]).toBe(
      'Channel stable: 0.2.0 now reaches about 50% of laptops (was 10% of 0.2.0).',
    );
    expect(readRollout(releasesDir, 'stable')?.percent).toBe(50);
    const shown = await run(showRolloutCommand, noDb, { 'releases-dir': releasesDir });
    expect(shown.out.join('\n')).toMatch(/latest\.yml\s+0\.2\.0\s+reaches about 50% of laptops/);
    const json = JSON.parse(
      (await run(showRolloutCommand, noDb, { 'releases-dir': releasesDir, json: true })).out.join(
        '\n',
      ),
    ) as { channel: string }[];
    expect(json.map((c) => c.channel)).toEqual(['stable']);
  });

  it('set-rollout refuses nonsense percentages, unknown channels and versions not in the channel', async () => {
    const root = tempDir();
    const releasesDir = join(root, 'releases');
    await run(publishReleaseCommand, noDb, {
      channel: 'stable',
      from: makeRelease(join(root, 'd')).dir,
      percent: '0',
      'releases-dir': releasesDir,
    });
    for (const percent of ['101', '-1', '12.5', 'lots', '']) {
      await expect(
        run(setRolloutCommand, noDb, { channel: 'stable', percent, 'releases-dir': releasesDir }),
        percent,
      ).rejects.toThrow(CliUsageError);
    }
    await expect(
      run(setRolloutCommand, noDb, { channel: 'beta', percent: '5', 'releases-dir': releasesDir }),
    ).rejects.toThrow(/holds no release/);
    await expect(
      run(setRolloutCommand, noDb, { channel: '../x', percent: '5', 'releases-dir': releasesDir }),
    ).rejects.toThrow(/not a channel name/);
    await expect(
      run(setRolloutCommand, noDb, {
        channel: 'stable',
        percent: '5',
        version: '0.3.0',
        'releases-dir': releasesDir,
      }),
    ).rejects.toThrow(/not 0\.3\.0/);
  });

  it('show-rollout warns about a release copied in by hand that has no rollout', async () => {
    const root = tempDir();
    const releasesDir = join(root, 'releases');
    await run(publishReleaseCommand, noDb, {
      channel: 'stable',
      from: makeRelease(join(root, 'd1'), '0.2.0').dir,
      percent: '100',
      'releases-dir': releasesDir,
    });
    const newer = makeRelease(join(root, 'd2'), '0.3.0');
    for (const name of Object.keys(newer.files))
      writeFileSync(join(releasesDir, 'stable', name), newer.files[name] as Buffer);
    const shown = await run(showRolloutCommand, noDb, {
      channel: 'stable',
      'releases-dir': releasesDir,
    });
    expect(shown.out.join('\n')).toMatch(
      /0\.3\.0\s+reaches no laptop \(paused\)\s+<- version 0\.3\.0 has no rollout/,
    );
  });
});

describe('commands on files only never open the database', () => {
  interface AdminRun {
    code: number;
    out: string;
    err: string;
    opened: number;
  }

  /** runAdmin with a database that cannot be opened, as while the server holds PGlite's lock. */
  async function admin(args: string[], now: Date = NOW): Promise<AdminRun> {
    const out: string[] = [];
    const err: string[] = [];
    let opened = 0;
    const code = await runAdmin(args, {
      io: {
        out: (l) => void out.push(l),
        err: (l) => void err.push(l),
        readStdinLine: async () => '',
      },
      openDb: async () => {
        opened += 1;
        throw new Error('the PGlite folder is in use by another process');
      },
      defaultActor: 'cli:it-admin',
      scrypt: TEST_SCRYPT,
      now: () => now,
    });
    return { code, out: out.join('\n'), err: err.join('\n'), opened };
  }

  function signedFile(dir: string, keyFile: string, name = 'p.json'): string {
    const { key } = loadOrCreateSigningKey(keyFile);
    const file = join(dir, name);
    writeFileSync(file, serializeProvisioningFile(createProvisioningFile(payload(), key)));
    return file;
  }

  it('marks them in the help, and a database command still opens it', async () => {
    const help = await admin(['--help']);
    for (const c of COMMANDS) {
      const line = help.out.split('\n').find((l) => l.trimStart().startsWith(`${c.name} `));
      expect(line, c.name).toBeDefined();
      expect(line?.includes(' * '), c.name).toBe(c.needsDb === false);
    }
    expect(
      COMMANDS.filter((c) => c.needsDb === false)
        .map((c) => c.name)
        .sort(),
    ).toEqual([
      'provisioning-key',
      'publish-release',
      'set-rollout',
      'show-rollout',
      'verify-provisioning',
    ]);
    expect(help.opened).toBe(0);
    const listDevices = await admin(['list-devices']);
    expect(listDevices).toMatchObject({ code: 1, opened: 1 });
    expect(listDevices.err).toContain('in use by another process');
  });

  it('provisioning-key and the rollout commands run while the database is locked', async () => {
    const dir = tempDir();
    const keyFile = join(dir, 'keys', 'k.pem');
    const key = await admin(['provisioning-key', '--key-file', keyFile]);
    expect(key).toMatchObject({ code: 0, opened: 0 });
    expect(key.out).toMatch(/Fingerprint: [0-9a-f]{4}( [0-9a-f]{4}){7}/);

    const releasesDir = join(dir, 'releases');
    const release = makeRelease(join(dir, 'download'));
    const published = await admin([
      'publish-release',
      '--channel',
      'stable',
      '--from',
      release.dir,
      '--percent',
      '10',
      '--releases-dir',
      releasesDir,
    ]);
    expect(published).toMatchObject({ code: 0, opened: 0 });
    expect(
      await admin([
        'set-rollout',
        '--channel',
        'stable',
        '--percent',
        '40',
        '--releases-dir',
        releasesDir,
      ]),
    ).toMatchObject({ code: 0, opened: 0 });
    const shown = await admin(['show-rollout', '--releases-dir', releasesDir]);
    expect(shown).toMatchObject({ code: 0, opened: 0 });
    expect(shown.out).toMatch(/reaches about 40% of laptops/);
  });

  it("verify-provisioning accepts a file signed by this server's key and shows what a laptop will", async () => {
    const dir = tempDir();
    const keyFile = join(dir, 'k.pem');
    const file = signedFile(dir, keyFile);
    const result = await admin(['verify-provisioning', '--file', file, '--key-file', keyFile]);
    expect(result).toMatchObject({ code: 0, opened: 0, err: '' });
    expect(result.out).toContain('signature good');
    expect(result.out).toContain('https://fieldbook.example.cn');
    expect(result.out).toContain('PA-CG01 平安县农村商业银行 城关支行');
    expect(result.out).toContain('until 2026-12-05T02:00:00.000Z');
    expect(result.out).toContain(`signed by the key from ${keyFile}`);
    // The one-time code is a secret until used: never printed.
    expect(result.out).not.toContain('ABCD-EFGH-JKMN');
    const json = await admin([
      'verify-provisioning',
      '--file',
      file,
      '--key-file',
      keyFile,
      '--json',
    ]);
    expect(json.code).toBe(0);
    expect(json.out).not.toContain('ABCD-EFGH-JKMN');
    expect(JSON.parse(json.out)).toMatchObject({
      signedByTrustedKey: true,
      payload: { branchCode: 'PA-CG01', updateChannel: 'stable' },
    });
    // By the fingerprint as provisioning-key prints it (grouped), without the key file.
    const fp = loadOrCreateSigningKey(keyFile).key.fingerprint;
    expect(
      await admin(['verify-provisioning', '--file', file, '--fingerprint', formatFingerprint(fp)]),
    ).toMatchObject({ code: 0 });
  });

  it('verify-provisioning refuses a changed file, another key, an expired file, with the reason', async () => {
    const dir = tempDir();
    const keyFile = join(dir, 'k.pem');
    const file = signedFile(dir, keyFile);

    const tampered = join(dir, 'tampered.json');
    writeFileSync(
      tampered,
      readFileSync(file, 'utf8').replace('https://fieldbook.example.cn', 'https://evil.example.cn'),
    );
    const changed = await admin(['verify-provisioning', '--file', tampered, '--key-file', keyFile]);
    expect(changed).toMatchObject({ code: 1, opened: 0 });
    expect(changed.err).toMatch(/bad_signature: .*changed after it was signed/);

    const otherKeyFile = join(dir, 'other.pem');
    const foreign = signedFile(dir, otherKeyFile, 'foreign.json');
    const other = await admin(['verify-provisioning', '--file', foreign, '--key-file', keyFile]);
    expect(other.code).toBe(1);
    expect(other.out).toContain('signature good'); // it still says what the file is
    expect(other.err).toMatch(/untrusted_key: signed by .* not by the key from/);

    const late = await admin(
      ['verify-provisioning', '--file', file, '--key-file', keyFile],
      new Date('2026-12-06T00:00:00.000Z'),
    );
    expect(late.code).toBe(1);
    expect(late.err).toMatch(/expired: /);
  });

  it('verify-provisioning never makes a signing key, and explains its options', async () => {
    const dir = tempDir();
    const file = signedFile(dir, join(dir, 'k.pem'));
    const missingKey = join(dir, 'nowhere', 'k.pem');
    const noKey = await admin(['verify-provisioning', '--file', file, '--key-file', missingKey]);
    expect(noKey.code).toBe(2);
    expect(noKey.err).toContain(`no signing key at ${missingKey}`);
    expect(existsSync(missingKey)).toBe(false);
    expect(
      (await admin(['verify-provisioning', '--file', file, '--fingerprint', 'not-hex'])).err,
    ).toContain('--fingerprint must be');
    expect((await admin(['verify-provisioning'])).err).toContain('missing --file');
    expect((await admin(['verify-provisioning', '--file', join(dir, 'none.json')])).code).toBe(2);
  });
});
