// The first-run side: where the app looks for a provisioning file, which one it takes,
// why it skips the others, and the key pin that keeps a forged file out afterwards.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createProvisioningLoader,
  provisioningCandidates,
  readTrustState,
  PROVISIONING_TRUST_FILE,
  type ProvisioningLocations,
} from '../../electron/main/provisioning-loader';
import {
  createProvisioningFile,
  generateSigningKeyPem,
  serializeProvisioningFile,
  signingKeyFromPem,
} from '../../shared/node/provisioning';
import { ProvisioningError, PROVISIONING_FILE_NAME } from '../../shared/provisioning';
import { NOW, payload, tempDir } from './helpers';

const headOffice = signingKeyFromPem(generateSigningKeyPem());
const stranger = signingKeyFromPem(generateSigningKeyPem());

function fileText(overrides = {}, key = headOffice): string {
  return serializeProvisioningFile(createProvisioningFile(payload(overrides), key));
}

function setup(platform: NodeJS.Platform = 'win32') {
  const root = tempDir();
  const installDir = join(root, 'Program Files', 'Fieldbook');
  const userData = join(root, 'AppData', 'fieldbook');
  const programData = join(root, 'ProgramData');
  mkdirSync(installDir, { recursive: true });
  mkdirSync(userData, { recursive: true });
  const locations: ProvisioningLocations = {
    argv: ['Fieldbook.exe'],
    exePath: join(installDir, 'Fieldbook.exe'),
    userDataDir: userData,
    platform,
    env: { ProgramData: programData },
  };
  const loader = (loc: Partial<ProvisioningLocations> = {}) =>
    createProvisioningLoader({ locations: { ...locations, ...loc }, now: () => NOW });
  return { root, installDir, userData, programData, locations, loader };
}

describe('where a provisioning file is looked for', () => {
  it('on Windows: argument, beside the program, ProgramData, user data — in that order', () => {
    const { locations, installDir, programData, userData } = setup('win32');
    const list = provisioningCandidates({
      ...locations,
      argv: ['Fieldbook.exe', '--provisioning=D:\\it\\laptop7.json'],
    });
    expect(list.map((c) => c.origin)).toEqual(['argument', 'beside-app', 'machine', 'user-data']);
    expect(list[1]?.path).toBe(join(installDir, PROVISIONING_FILE_NAME));
    expect(list[2]?.path).toBe(join(programData, 'Fieldbook', PROVISIONING_FILE_NAME));
    expect(list[3]?.path).toBe(join(userData, PROVISIONING_FILE_NAME));
  });

  it('the portable .exe and the AppImage look beside themselves, not inside their unpacked temp folder', () => {
    const { locations } = setup('win32');
    const portable = provisioningCandidates({
      ...locations,
      env: { PORTABLE_EXECUTABLE_DIR: '/media/usb' },
    });
    expect(portable[0]).toEqual({
      path: resolve('/media/usb', PROVISIONING_FILE_NAME),
      origin: 'beside-app',
    });
    const appImage = provisioningCandidates({
      ...locations,
      platform: 'linux',
      env: { APPIMAGE: '/home/li/Downloads/Fieldbook-0.2.0-x86_64.AppImage' },
    });
    expect(appImage[0]?.path).toBe(resolve('/home/li/Downloads', PROVISIONING_FILE_NAME));
    expect(appImage.map((c) => c.path)).toContain(
      resolve('/etc/fieldbook', PROVISIONING_FILE_NAME),
    );
  });

  it('on macOS: not inside the .app bundle, but the machine-wide Application Support folder', () => {
    const { locations } = setup('darwin');
    const list = provisioningCandidates({
      ...locations,
      exePath: '/Applications/Fieldbook.app/Contents/MacOS/Fieldbook',
    });
    expect(list.map((c) => c.path)).not.toContain(
      resolve('/Applications/Fieldbook.app/Contents/MacOS', PROVISIONING_FILE_NAME),
    );
    expect(list.map((c) => c.path)).toContain(
      resolve('/Library/Application Support/Fieldbook', PROVISIONING_FILE_NAME),
    );
  });

  it('accepts --provisioning <file> as two arguments too', () => {
    const { locations } = setup();
    expect(
      provisioningCandidates({ ...locations, argv: ['x', '--provisioning', '/tmp/p.json'] })[0],
    ).toEqual({ path: resolve('/tmp/p.json'), origin: 'argument' });
  });
});

describe('discover()', () => {
  it('finds nothing and skips nothing on a clean laptop', () => {
    const { loader } = setup();
    expect(loader().discover()).toEqual({ found: null, skipped: [] });
  });

  it('takes the file the installer copied beside the program', () => {
    const { loader, installDir } = setup();
    writeFileSync(join(installDir, PROVISIONING_FILE_NAME), fileText());
    const { found, skipped } = loader().discover();
    expect(found?.payload.branchCode).toBe('PA-CG01');
    expect(found?.source).toBe(join(installDir, PROVISIONING_FILE_NAME));
    expect(skipped).toEqual([]);
  });

  it('skips an expired file beside the program, says why, and takes the good one in user data', () => {
    const { loader, installDir, userData } = setup();
    writeFileSync(
      join(installDir, PROVISIONING_FILE_NAME),
      fileText({ expiresAt: '2026-11-28T01:30:00.000Z' }),
    );
    writeFileSync(join(userData, PROVISIONING_FILE_NAME), fileText({ branchCode: 'PA-XZ02' }));
    const { found, skipped } = loader().discover();
    expect(found?.payload.branchCode).toBe('PA-XZ02');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ origin: 'beside-app', code: 'expired' });
  });

  it('reports an argument that points nowhere as not_found', () => {
    const { loader, root } = setup();
    const { found, skipped } = loader({
      argv: ['x', `--provisioning=${join(root, 'nope.json')}`],
    }).discover();
    expect(found).toBeNull();
    expect(skipped).toEqual([expect.objectContaining({ origin: 'argument', code: 'not_found' })]);
  });

  it('reports an edited file as bad_signature rather than using it', () => {
    const { loader, userData } = setup();
    writeFileSync(
      join(userData, PROVISIONING_FILE_NAME),
      fileText().replace('https://fieldbook.example.cn', 'https://evil.example.com'),
    );
    const { found, skipped } = loader().discover();
    expect(found).toBeNull();
    expect(skipped[0]?.code).toBe('bad_signature');
  });
});

describe('the key pin (trust on first use)', () => {
  it('markUsed pins the key; a file from another key is refused afterwards', () => {
    const { loader, installDir, userData } = setup();
    writeFileSync(join(installDir, PROVISIONING_FILE_NAME), fileText());
    const first = loader().discover().found;
    expect(first).not.toBeNull();
    expect(readTrustState(userData).pinnedFingerprint).toBeNull(); // discovering alone pins nothing
    loader().markUsed(first!);
    expect(readTrustState(userData)).toMatchObject({
      pinnedFingerprint: headOffice.fingerprint,
      pinnedAt: NOW.toISOString(),
    });

    writeFileSync(
      join(installDir, PROVISIONING_FILE_NAME),
      fileText({ serverUrl: 'https://evil.example.com' }, stranger),
    );
    const { found, skipped } = loader().discover();
    expect(found).toBeNull();
    expect(skipped[0]?.code).toBe('untrusted_key');
  });

  it('a file already used to enrol is not offered again (its code works once)', () => {
    const { loader, installDir } = setup();
    writeFileSync(join(installDir, PROVISIONING_FILE_NAME), fileText());
    loader().markUsed(loader().discover().found!);
    const { found, skipped } = loader().discover();
    expect(found).toBeNull();
    expect(skipped[0]?.code).toBe('already_used');
  });

  it('a new file from the same head office is accepted after the pin (re-enrolment after a wipe)', () => {
    const { loader, installDir } = setup();
    writeFileSync(join(installDir, PROVISIONING_FILE_NAME), fileText());
    loader().markUsed(loader().discover().found!);
    writeFileSync(
      join(installDir, PROVISIONING_FILE_NAME),
      fileText({ enrolmentCode: 'NEWC-ODE0-0001' }),
    );
    expect(loader().discover().found?.payload.enrolmentCode).toBe('NEWC-ODE0-0001');
  });

  it('a key the build ships is trusted alongside the pinned one', () => {
    const { locations, installDir, userData } = setup();
    writeFileSync(
      join(userData, PROVISIONING_TRUST_FILE),
      JSON.stringify({
        pinnedFingerprint: headOffice.fingerprint,
        pinnedAt: NOW.toISOString(),
        usedFiles: [],
      }),
    );
    writeFileSync(join(installDir, PROVISIONING_FILE_NAME), fileText({}, stranger));
    const loader = createProvisioningLoader({
      locations,
      now: () => NOW,
      builtInFingerprints: [stranger.fingerprint],
    });
    expect(loader.discover().found?.keyFingerprint).toBe(stranger.fingerprint);
  });

  it('a damaged pin file stops discovery instead of trusting anything', () => {
    const { loader, userData } = setup();
    writeFileSync(join(userData, PROVISIONING_TRUST_FILE), '{ not json');
    expect(() => loader().discover()).toThrow(/delete it/);
  });

  it('verifyFile (the file dialog) applies the same rules and throws ProvisioningError', () => {
    const { loader, root } = setup();
    const picked = join(root, 'picked.json');
    writeFileSync(picked, fileText({ expiresAt: '2026-11-28T01:00:01.000Z' }));
    expect(() => loader().verifyFile(picked)).toThrow(ProvisioningError);
    expect(() => loader().verifyFile(join(root, 'missing.json'))).toThrow(/does not exist/);
    writeFileSync(picked, fileText());
    expect(loader().verifyFile(picked).payload.branchCode).toBe('PA-CG01');
  });
});
