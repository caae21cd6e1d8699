// Signing and verifying provisioning files (format and trust model: shared/provisioning.ts).
// Node only (node:crypto): the admin CLI signs, Electron main verifies.
//
// Order of checks when verifying, so that each failure gets the most useful code: size,
// JSON, format version, shape (zod), algorithm, key/fingerprint agreement, signature,
// trusted key, then time. Nothing in an unsigned or tampered file — not even its expiry —
// is believed before the signature checks out.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  PROVISIONING_CLOCK_SKEW_MS,
  PROVISIONING_FORMAT_VERSION,
  PROVISIONING_MAX_BYTES,
  PROVISIONING_SIGNING_CONTEXT,
  ProvisioningError,
  provisioningFileSchema,
  provisioningPayloadSchema,
  type ProvisioningFile,
  type ProvisioningHeader,
  type ProvisioningPayload,
  type ProvisioningPayloadInput,
  type VerifiedProvisioning,
} from '../provisioning';
import { canonicalJson } from '../sync/canonical-json';

// An Ed25519 SubjectPublicKeyInfo is this 12-byte DER prefix followed by the 32 raw key bytes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface SigningKey {
  privateKey: KeyObject;
  /** Raw 32-byte public key. */
  publicKeyRaw: Buffer;
  /** Hex SHA-256 of publicKeyRaw. */
  fingerprint: string;
}

export function publicKeyFingerprint(publicKeyRaw: Buffer): string {
  return createHash('sha256').update(publicKeyRaw).digest('hex');
}

function rawPublicKey(key: KeyObject): Buffer {
  const spki = key.export({ format: 'der', type: 'spki' });
  return Buffer.from(spki.subarray(spki.length - 32));
}

function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
}

export function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `The provisioning signing key must be Ed25519, not ${privateKey.asymmetricKeyType ?? 'unknown'}`,
    );
  }
  const publicKeyRaw = rawPublicKey(createPublicKey(privateKey));
  return { privateKey, publicKeyRaw, fingerprint: publicKeyFingerprint(publicKeyRaw) };
}

export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * The head office's signing key, created on first use (PKCS#8 PEM, mode 0600) and the
 * same ever after: laptops pin its fingerprint, so replacing it means every laptop that
 * must be re-provisioned has to have its pin reset (docs/INSTALLING.md).
 */
export function loadOrCreateSigningKey(file: string): { key: SigningKey; createdNow: boolean } {
  if (existsSync(file))
    return { key: signingKeyFromPem(readFileSync(file, 'utf8')), createdNow: false };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const pem = generateSigningKeyPem();
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, pem, { mode: 0o600 });
  try {
    // link() never replaces: if another process created the key meanwhile, keep theirs.
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { key: signingKeyFromPem(readFileSync(file, 'utf8')), createdNow: false };
  } finally {
    rmSync(tmp, { force: true });
  }
  return { key: signingKeyFromPem(pem), createdNow: true };
}

function signedBytes(header: ProvisioningHeader, payload: ProvisioningPayload): Buffer {
  return Buffer.from(PROVISIONING_SIGNING_CONTEXT + canonicalJson({ header, payload }), 'utf8');
}

/** Validates the payload (same rules as verification) and signs it. */
export function createProvisioningFile(
  payload: ProvisioningPayloadInput,
  key: SigningKey,
): ProvisioningFile {
  const parsed = provisioningPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(payload)'}: ${i.message}`,
    );
    throw new ProvisioningError(
      'malformed',
      `The provisioning payload is not valid: ${issues.join('; ')}`,
      { issues: issues.join('; ') },
    );
  }
  const header: ProvisioningHeader = {
    alg: 'Ed25519',
    publicKey: key.publicKeyRaw.toString('base64'),
    keyFingerprint: key.fingerprint,
  };
  const signature = sign(null, signedBytes(header, parsed.data), key.privateKey).toString('base64');
  return {
    fieldbookProvisioning: PROVISIONING_FORMAT_VERSION,
    header,
    payload: parsed.data,
    signature,
  };
}

/** The file as written to disk: indented so IT can read the server URL and branch. */
export function serializeProvisioningFile(file: ProvisioningFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

export interface VerifyOptions {
  now: Date;
  /**
   * Fingerprints this laptop trusts: the pinned key and any the build ships. Empty or
   * absent, every correctly signed file is accepted (first use); the caller pins its key
   * once the file is actually used.
   */
  trustedFingerprints?: readonly string[];
  source?: string;
}

function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(file)'}: ${i.message}`)
    .join('; ');
}

/** Parses and verifies a provisioning file's bytes; throws ProvisioningError with a stable code. */
export function verifyProvisioningFile(
  bytes: Buffer | string,
  options: VerifyOptions,
): VerifiedProvisioning {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const source = options.source ?? '(provisioning file)';
  if (buffer.length > PROVISIONING_MAX_BYTES) {
    throw new ProvisioningError(
      'too_large',
      `${source} is ${buffer.length} bytes; a provisioning file is at most ${PROVISIONING_MAX_BYTES}`,
      {
        bytes: buffer.length,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(buffer.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new ProvisioningError('malformed', `${source} is not JSON`, { issues: 'not JSON' });
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    Array.isArray(json) ||
    !('fieldbookProvisioning' in json)
  ) {
    throw new ProvisioningError('malformed', `${source} is not a Fieldbook provisioning file`, {
      issues: 'fieldbookProvisioning missing',
    });
  }
  const version = (json as { fieldbookProvisioning: unknown }).fieldbookProvisioning;
  if (version !== PROVISIONING_FORMAT_VERSION) {
    throw new ProvisioningError(
      'unknown_version',
      `${source} has provisioning format ${JSON.stringify(version)}; this Fieldbook reads format ${PROVISIONING_FORMAT_VERSION} (update Fieldbook, or make the file with a matching admin CLI)`,
      {
        version: typeof version === 'number' || typeof version === 'string' ? version : null,
        supported: PROVISIONING_FORMAT_VERSION,
      },
    );
  }
  const parsed = provisioningFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues);
    throw new ProvisioningError(
      'malformed',
      `${source} is not a valid provisioning file: ${issues}`,
      { issues },
    );
  }
  const file = parsed.data;
  if (file.header.alg !== 'Ed25519') {
    throw new ProvisioningError(
      'unsupported_algorithm',
      `${source} is signed with ${file.header.alg}; only Ed25519 is accepted`,
      {
        alg: file.header.alg,
      },
    );
  }
  const publicKeyRaw = Buffer.from(file.header.publicKey, 'base64');
  const fingerprint = publicKeyFingerprint(publicKeyRaw);
  if (fingerprint !== file.header.keyFingerprint) {
    throw new ProvisioningError(
      'key_mismatch',
      `${source}: the key fingerprint in the header does not belong to the header's public key`,
    );
  }
  let valid: boolean;
  try {
    // Verify the signature over what was parsed and normalised, exactly as it was signed.
    valid = verify(
      null,
      signedBytes(file.header, file.payload),
      publicKeyFromRaw(publicKeyRaw),
      Buffer.from(file.signature, 'base64'),
    );
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new ProvisioningError(
      'bad_signature',
      `${source} was changed after it was signed (the signature does not match); ask head office for a new file`,
    );
  }
  const trusted = options.trustedFingerprints ?? [];
  if (trusted.length > 0 && !trusted.includes(fingerprint)) {
    throw new ProvisioningError(
      'untrusted_key',
      `${source} is signed by a key this laptop does not trust (fingerprint ${fingerprint.slice(0, 16)}…); it was set up with another head office key`,
      { fingerprint },
    );
  }
  const now = options.now.getTime();
  if (Date.parse(file.payload.expiresAt) <= now) {
    throw new ProvisioningError(
      'expired',
      `${source} expired at ${file.payload.expiresAt}; ask head office for a new file (or check this laptop's date)`,
      {
        expiresAt: file.payload.expiresAt,
      },
    );
  }
  if (Date.parse(file.payload.createdAt) > now + PROVISIONING_CLOCK_SKEW_MS) {
    throw new ProvisioningError(
      'not_yet_valid',
      `${source} was made at ${file.payload.createdAt}, later than this laptop's clock; check the date and time`,
      {
        createdAt: file.payload.createdAt,
      },
    );
  }
  return {
    payload: file.payload,
    keyFingerprint: fingerprint,
    source,
    fileSha256: createHash('sha256').update(buffer).digest('hex'),
  };
}
