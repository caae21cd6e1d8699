// The wizard's "Open provisioning file…" against a real head office (PGlite, in-process):
// the file is checked and its contents shown before anything changes on the laptop; a
// damaged or foreign file is refused with a code the wizard translates and leaves the
// laptop as it was; a good file enrols with its own code, once. And a revoked laptop's
// wizard knows it was wiped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoLedger, loadOrCreateDevKey } from '../../electron/ledger';
import { createSessionHandlers, type LedgerSession } from '../../electron/ledger/session/session';
import { createProvisioningLoader } from '../../electron/main/provisioning-loader';
import {
  createProvisioningFile,
  generateSigningKeyPem,
  serializeProvisioningFile,
  signingKeyFromPem,
  type SigningKey,
} from '../../shared/node/provisioning';
import { formatFingerprint } from '../../shared/provisioning';
import { issueEnrolmentCode, revokeDevice } from '../../server/model/devices';
import { testBackends } from '../server/helpers/backends';
import { createWorld, type World } from '../server/helpers/world';
import { call } from './helpers';

const backend = testBackends()[0]!;
let world: World;
const dirs: string[] = [];
const sessions: LedgerSession[] = [];
const headOffice = signingKeyFromPem(generateSigningKeyPem());
const stranger = signingKeyFromPem(generateSigningKeyPem());

beforeAll(async () => {
  world = await createWorld(await backend.open());
}, 60_000);

afterAll(async () => {
  for (const s of sessions) s.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  await world.close();
  await world.db.close();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-provfile-'));
  dirs.push(dir);
  return dir;
}

function newSession() {
  const dataDir = tempDir();
  const loader = createProvisioningLoader({
    locations: {
      argv: [],
      exePath: path.join(dataDir, 'app', 'Fieldbook'),
      userDataDir: dataDir,
      platform: 'win32',
      env: {},
    },
  });
  const session = createSessionHandlers({
    ledgerFile: path.join(dataDir, 'ledger', 'ledger.db'),
    key: () => loadOrCreateDevKey(dataDir).key,
    ensureDemo: () => {
      const demo = ensureDemoLedger({ dataDir, cases: 10, officers: 1, today: '2026-11-27' });
      return { file: demo.file, key: demo.key };
    },
    wipeLayout: { dataDir: path.join(dataDir, 'ledger') },
    firstRun: 'wizard',
    keyStorage: 'test',
    autoSync: false,
    provisioning: {
      discover: () => loader.discover(),
      markUsed: (found) => loader.markUsed(found),
      verifyFile: (file) => loader.verifyFile(file),
    },
  });
  sessions.push(session);
  return { session, dataDir, loader };
}

/** A file signed by `key` with a fresh one-time code for branch A, on a USB stick. */
async function provisioningFile(key: SigningKey = headOffice, language: 'zh-CN' | 'en' = 'en') {
  const issued = await world.db.transaction((tx) =>
    issueEnrolmentCode(tx, { branchId: world.branches.a.id, issuedBy: 'test' }),
  );
  const now = Date.now();
  const file = createProvisioningFile(
    {
      serverUrl: world.baseUrl,
      branchCode: world.branches.a.code,
      branchName: world.branches.a.name,
      enrolmentCode: issued.code,
      enrolmentCodeExpiresAt: new Date(now + 86_400_000).toISOString(),
      policyPackId: 'cn-default',
      defaultLanguage: language,
      updateChannel: 'stable',
      createdAt: new Date(now - 60_000).toISOString(),
      expiresAt: new Date(now + 86_400_000).toISOString(),
      createdBy: 'cli:test',
    },
    key,
  );
  const target = path.join(tempDir(), 'li-wei.json');
  fs.writeFileSync(target, serializeProvisioningFile(file));
  return { path: target, code: issued.code };
}

describe('opening a provisioning file in the wizard', () => {
  it('shows the server, branch, language and fingerprint — never the code — then enrols with it once', async () => {
    const { session, loader } = newSession();
    const file = await provisioningFile(headOffice, 'en');
    const offer = await call(session, 'device.provisioningFromFile', { file: file.path });
    expect(offer).toMatchObject({
      serverUrl: world.baseUrl,
      branchCode: 'GZ01',
      branchName: '广州天河支行',
      defaultLanguage: 'en',
      fingerprint: formatFingerprint(headOffice.fingerprint),
      insecureHttp: false,
    });
    expect(JSON.stringify(offer)).not.toContain(file.code);
    // Looking changed nothing: still the wizard, nothing pinned yet.
    expect((await call(session, 'session.state')).mode).toBe('not_enrolled');
    expect(loader.trustState().pinnedFingerprint).toBeNull();

    const state = await call(session, 'device.enrol', {
      provisioningPath: file.path,
      deviceName: 'Li Wei laptop',
    });
    expect(state.mode).toBe('enrolled');
    expect(state.users.map((u) => u.login)).toContain(world.users.officerA1.username);
    expect(loader.trustState().pinnedFingerprint).toBe(headOffice.fingerprint);
    // The same file cannot set up another laptop's data folder sharing this trust state.
    expect(() => loader.verifyFile(file.path)).toThrow(/already used/);
  }, 60_000);

  it('refuses a file changed after signing, and the laptop stays as it was', async () => {
    const { session, dataDir } = newSession();
    const file = await provisioningFile();
    const text = fs.readFileSync(file.path, 'utf8').replace('GZ01', 'SZ01');
    fs.writeFileSync(file.path, text);
    await expect(
      call(session, 'device.provisioningFromFile', { file: file.path }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      params: { field: 'file', reason: 'provisioning', code: 'bad_signature' },
    });
    await expect(
      call(session, 'device.enrol', { provisioningPath: file.path, deviceName: 'x' }),
    ).rejects.toMatchObject({ params: { reason: 'provisioning', code: 'bad_signature' } });
    expect((await call(session, 'session.state')).mode).toBe('not_enrolled');
    expect(fs.existsSync(path.join(dataDir, 'ledger', 'ledger.db'))).toBe(false);
  }, 60_000);

  it('refuses a file that is not a provisioning file, and one from another head office after the pin', async () => {
    const { session } = newSession();
    const junk = path.join(tempDir(), 'notes.json');
    fs.writeFileSync(junk, '{"hello": "world"}');
    await expect(
      call(session, 'device.provisioningFromFile', { file: junk }),
    ).rejects.toMatchObject({ params: { code: 'malformed' } });
    await expect(
      call(session, 'device.provisioningFromFile', { file: path.join(tempDir(), 'gone.json') }),
    ).rejects.toMatchObject({ params: { code: 'not_found' } });

    const good = await provisioningFile(headOffice);
    await call(session, 'device.enrol', { provisioningPath: good.path, deviceName: 'a' });
    const forged = await provisioningFile(stranger);
    // Enrolled now: the wizard's operations are closed.
    await expect(
      call(session, 'device.provisioningFromFile', { file: forged.path }),
    ).rejects.toMatchObject({ params: { reason: 'already_enrolled' } });
  }, 60_000);

  it('after a revocation wipes the laptop, the wizard says so, and the pin still keeps a foreign file out', async () => {
    const { session } = newSession();
    const good = await provisioningFile(headOffice);
    await call(session, 'device.enrol', { provisioningPath: good.path, deviceName: 'b' });
    await call(session, 'session.signIn', {
      login: world.users.officerA1.username,
      password: world.users.officerA1.password,
    });
    await call(session, 'sync.now');
    const deviceId = session
      .caseLedger()!
      .db.prepare(`SELECT value FROM meta WHERE key = 'device_id'`)
      .pluck()
      .get() as string;
    await world.db.transaction((tx) => revokeDevice(tx, deviceId, 'test'));
    await call(session, 'sync.now');
    const state = await call(session, 'session.state');
    expect(state.mode).toBe('not_enrolled');
    expect(state.wipedAt).toMatch(/Z$/);

    const forged = await provisioningFile(stranger);
    await expect(
      call(session, 'device.provisioningFromFile', { file: forged.path }),
    ).rejects.toMatchObject({ params: { code: 'untrusted_key' } });
    // A new file from the same head office enrols again, and the notice goes away.
    const again = await provisioningFile(headOffice);
    const back = await call(session, 'device.enrol', {
      provisioningPath: again.path,
      deviceName: 'b',
    });
    expect(back.mode).toBe('enrolled');
    expect(back.wipedAt).toBeUndefined();
  }, 60_000);
});
