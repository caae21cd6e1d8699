// Provisioning files: what the admin CLI signs verifies on the laptop, and every way a file
// can be wrong is refused with its own stable code (the set-up screen translates by code).
import { statSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createProvisioningFile,
  generateSigningKeyPem,
  loadOrCreateSigningKey,
  serializeProvisioningFile,
  signingKeyFromPem,
  verifyProvisioningFile,
  type SigningKey,
} from '../../shared/node/provisioning';
import {
  formatFingerprint,
  ProvisioningError,
  updateFeedUrl,
  type ProvisioningErrorCode,
} from '../../shared/provisioning';
import { NOW, payload, tempDir } from './helpers';

const key: SigningKey = signingKeyFromPem(generateSigningKeyPem());
const otherKey: SigningKey = signingKeyFromPem(generateSigningKeyPem());

function signed(overrides = {}, k: SigningKey = key): string {
  return serializeProvisioningFile(createProvisioningFile(payload(overrides), k));
}

function codeOf(fn: () => unknown): ProvisioningErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (err) {
    if (err instanceof ProvisioningError) return err.code;
    throw err;
  }
}

interface LooseFile {
  fieldbookProvisioning: unknown;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: unknown;
  [extra: string]: unknown;
}

function mutate(text: string, change: (file: LooseFile) => void): string {
  const json = JSON.parse(text) as LooseFile;
  change(json);
  return JSON.stringify(json);
}

describe('a signed provisioning file', () => {
  it('verifies and gives back what the set-up screen shows', () => {
    const v = verifyProvisioningFile(signed(), { now: NOW, source: 'beside the installer' });
    expect(v.payload.serverUrl).toBe('https://fieldbook.example.cn');
    expect(v.payload.branchCode).toBe('PA-CG01');
    expect(v.payload.enrolmentCode).toBe('ABCD-EFGH-JKMN');
    expect(v.payload.defaultLanguage).toBe('zh-CN');
    expect(v.keyFingerprint).toBe(key.fingerprint);
    expect(v.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v.source).toBe('beside the installer');
  });

  it('is readable JSON carrying the key and its fingerprint in the header', () => {
    const file = JSON.parse(signed()) as {
      fieldbookProvisioning: number;
      header: { alg: string; keyFingerprint: string };
    };
    expect(file.fieldbookProvisioning).toBe(1);
    expect(file.header.alg).toBe('Ed25519');
    expect(file.header.keyFingerprint).toBe(key.fingerprint);
  });

  it('survives a byte-order mark and re-indentation (an editor saving it again)', () => {
    const text = signed();
    const reindented = JSON.stringify(JSON.parse(text), null, 4);
    expect(codeOf(() => verifyProvisioningFile(`\uFEFF${reindented}`, { now: NOW }))).toBe(
      'no error',
    );
  });

  it('normalises the server URL (trailing slash) before signing, so the laptop sees the same', () => {
    const v = verifyProvisioningFile(signed({ serverUrl: 'https://ho.example.cn/fieldbook/' }), {
      now: NOW,
    });
    expect(v.payload.serverUrl).toBe('https://ho.example.cn/fieldbook');
    expect(updateFeedUrl(v.payload.serverUrl, v.payload.updateChannel)).toBe(
      'https://ho.example.cn/fieldbook/updates/stable',
    );
  });

  it('is accepted when its key is among the trusted ones', () => {
    expect(
      codeOf(() =>
        verifyProvisioningFile(signed(), {
          now: NOW,
          trustedFingerprints: [otherKey.fingerprint, key.fingerprint],
        }),
      ),
    ).toBe('no error');
  });
});

describe('a file that was changed after signing', () => {
  it('with another server URL is refused as bad_signature', () => {
    const text = mutate(signed(), (f) => (f.payload.serverUrl = 'https://evil.example.com'));
    expect(codeOf(() => verifyProvisioningFile(text, { now: NOW }))).toBe('bad_signature');
  });

  it('with a later expiry is refused as bad_signature, not believed', () => {
    const text = mutate(
      signed({ expiresAt: '2026-11-28T01:30:00.000Z' }),
      (f) => (f.payload.expiresAt = '2027-01-01T00:00:00.000Z'),
    );
    expect(codeOf(() => verifyProvisioningFile(text, { now: NOW }))).toBe('bad_signature');
  });

  it('with a flipped signature byte is refused as bad_signature', () => {
    const text = mutate(signed(), (f) => {
      const sig = Buffer.from(f.signature as string, 'base64');
      sig[10] = (sig[10] as number) ^ 1;
      f.signature = sig.toString('base64');
    });
    expect(codeOf(() => verifyProvisioningFile(text, { now: NOW }))).toBe('bad_signature');
  });

  it("with someone else's key swapped into the header but the old fingerprint is refused as key_mismatch", () => {
    const text = mutate(
      signed(),
      (f) => (f.header.publicKey = otherKey.publicKeyRaw.toString('base64')),
    );
    expect(codeOf(() => verifyProvisioningFile(text, { now: NOW }))).toBe('key_mismatch');
  });

  it('with a signature moved over from another valid file is refused', () => {
    const a = JSON.parse(signed({ branchCode: 'PA-CG01' })) as Record<string, unknown>;
    const b = JSON.parse(signed({ branchCode: 'PA-XZ02' })) as Record<string, unknown>;
    const spliced = JSON.stringify({ ...a, signature: b.signature });
    expect(codeOf(() => verifyProvisioningFile(spliced, { now: NOW }))).toBe('bad_signature');
  });
});

describe('a file signed by the wrong key', () => {
  it('is refused as untrusted_key once this laptop trusts another key, with the fingerprint for IT', () => {
    const text = signed({}, otherKey);
    try {
      verifyProvisioningFile(text, { now: NOW, trustedFingerprints: [key.fingerprint] });
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(ProvisioningError);
      expect((err as ProvisioningError).code).toBe('untrusted_key');
      expect((err as ProvisioningError).params.fingerprint).toBe(otherKey.fingerprint);
    }
  });

  it('re-signed by an attacker with their own key passes the signature but not the pin', () => {
    const forged = createProvisioningFile(
      payload({ serverUrl: 'https://evil.example.com' }),
      otherKey,
    );
    expect(
      codeOf(() =>
        verifyProvisioningFile(serializeProvisioningFile(forged), {
          now: NOW,
          trustedFingerprints: [key.fingerprint],
        }),
      ),
    ).toBe('untrusted_key');
  });
});

describe('time', () => {
  it('an expired file is refused as expired, also at the exact expiry instant', () => {
    const text = signed({ expiresAt: '2026-11-28T02:00:00.000Z' });
    expect(codeOf(() => verifyProvisioningFile(text, { now: NOW }))).toBe('expired');
    expect(codeOf(() => verifyProvisioningFile(text, { now: new Date(NOW.getTime() - 1) }))).toBe(
      'no error',
    );
  });

  it("a file made in the laptop clock's future is refused as not_yet_valid beyond 10 minutes of skew", () => {
    const text = signed({ createdAt: '2026-11-28T02:09:00.000Z' });
    expect(codeOf(() => verifyProvisioningFile(text, { now: NOW }))).toBe('no error');
    const later = signed({ createdAt: '2026-11-28T02:11:00.000Z' });
    expect(codeOf(() => verifyProvisioningFile(later, { now: NOW }))).toBe('not_yet_valid');
  });
});

describe('malformed files', () => {
  const cases: [string, string, ProvisioningErrorCode][] = [
    ['not JSON', '{"fieldbookProvisioning": 1,', 'malformed'],
    ['a JSON array', '[1, 2]', 'malformed'],
    ['some other JSON file', '{"name": "fieldbook", "version": "1.0.0"}', 'malformed'],
    ['an empty file', '', 'malformed'],
  ];
  it.each(cases)('%s is refused as %s', (_label, text, code) => {
    expect(codeOf(() => verifyProvisioningFile(text, { now: NOW }))).toBe(code);
  });

  it('a file from a newer admin CLI is refused as unknown_version and says which versions', () => {
    const text = mutate(signed(), (f) => (f.fieldbookProvisioning = 2));
    try {
      verifyProvisioningFile(text, { now: NOW });
      expect.unreachable();
    } catch (err) {
      expect((err as ProvisioningError).code).toBe('unknown_version');
      expect((err as ProvisioningError).params).toMatchObject({ version: 2, supported: 1 });
    }
  });

  it('another signature algorithm is refused as unsupported_algorithm', () => {
    const text = mutate(signed(), (f) => (f.header.alg = 'RS256'));
    expect(codeOf(() => verifyProvisioningFile(text, { now: NOW }))).toBe('unsupported_algorithm');
  });

  it('a missing field is refused as malformed, naming the field', () => {
    const text = mutate(signed(), (f) => delete f.payload.enrolmentCode);
    try {
      verifyProvisioningFile(text, { now: NOW });
      expect.unreachable();
    } catch (err) {
      expect((err as ProvisioningError).code).toBe('malformed');
      expect((err as ProvisioningError).message).toContain('payload.enrolmentCode');
    }
  });

  it('an unknown extra field is refused (strict shape: nothing unsigned can ride along)', () => {
    const text = mutate(signed(), (f) => (f.note = 'hello'));
    expect(codeOf(() => verifyProvisioningFile(text, { now: NOW }))).toBe('malformed');
  });

  it('a file over 64 KiB is refused as too_large before parsing', () => {
    expect(codeOf(() => verifyProvisioningFile(' '.repeat(70_000), { now: NOW }))).toBe(
      'too_large',
    );
  });
});

describe('what the admin CLI may sign', () => {
  const refuse = (overrides: object) =>
    codeOf(() => createProvisioningFile(payload(overrides), key));

  it('refuses plain http to another machine unless allowInsecureHttp is set', () => {
    expect(refuse({ serverUrl: 'http://192.168.1.10:8787' })).toBe('malformed');
    expect(refuse({ serverUrl: 'http://192.168.1.10:8787', allowInsecureHttp: true })).toBe(
      'no error',
    );
    expect(refuse({ serverUrl: 'http://127.0.0.1:8787' })).toBe('no error');
  });

  it('refuses URLs with credentials, queries, other schemes, and junk', () => {
    for (const serverUrl of [
      'https://admin:pw@ho.example.cn',
      'https://ho.example.cn/?x=1',
      'ftp://ho.example.cn',
      'ho.example.cn',
    ]) {
      expect(refuse({ serverUrl }), serverUrl).toBe('malformed');
    }
  });

  it('refuses a lower-case branch code, an unknown language and an expiry before creation', () => {
    expect(refuse({ branchCode: 'pa-cg01' })).toBe('malformed');
    expect(refuse({ defaultLanguage: 'fr' as never })).toBe('malformed');
    expect(refuse({ expiresAt: '2026-11-28T00:00:00.000Z' })).toBe('malformed');
  });
});

describe('the head office signing key', () => {
  it('is made once (mode 0600) and the same key afterwards', () => {
    const dir = tempDir();
    const file = join(dir, 'keys', 'provisioning-ed25519.pem');
    const first = loadOrCreateSigningKey(file);
    const second = loadOrCreateSigningKey(file);
    expect(first.createdNow).toBe(true);
    expect(second.createdNow).toBe(false);
    expect(second.key.fingerprint).toBe(first.key.fingerprint);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
  });

  it('refuses a key that is not Ed25519', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const dir = tempDir();
    writeFileSync(join(dir, 'k.pem'), rsa);
    expect(() => loadOrCreateSigningKey(join(dir, 'k.pem'))).toThrow(/Ed25519/);
  });

  it('shows its fingerprint as eight groups of four hex digits', () => {
    expect(formatFingerprint(key.fingerprint)).toMatch(/^(?:[0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    expect(formatFingerprint(key.fingerprint).replace(/ /g, '')).toBe(key.fingerprint.slice(0, 32));
  });
});
