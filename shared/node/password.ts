// Password verifiers that a device can check offline, and the key that proves to the
// server that the password was typed. Node only (node:crypto).
//
// From the password and a random salt, scrypt derives a master secret. Two values are
// derived from it with HMAC and neither reveals the other:
//   verifier = HMAC(master, 'fieldbook/verifier/v1') -> synced to every device of the branch
//   authKey  = HMAC(master, 'fieldbook/auth/v1')     -> kept by the server only
// A device checks a sign-in against the verifier, and from the same scrypt run gets the
// authKey with which it signs requests and mutations (proofs.ts). Holding a device and
// its verifiers therefore does not let anyone act as a user without the password.
//
// The verifier string describes itself (PHC style), so parameters can rise later:
//   $fbscrypt$v=1$ln=15,r=8,p=1$<salt base64url>$<verifier base64url>
import { createHmac, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  r: number;
  p: number;
}

/** About 32 MiB and ~100 ms per check on a field laptop. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { logN: 15, r: 8, p: 1 };
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

// Bounds on parameters read back from a verifier: a device must not be made to spend
// gigabytes or minutes on a hostile or corrupt verifier.
const LIMITS = { logN: [10, 20], r: [1, 16], p: [1, 4] } as const;

const PREFIX = '$fbscrypt$v=1$';
const VERIFIER_RE =
  /^\$fbscrypt\$v=1\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]{16,88})\$([A-Za-z0-9_-]{43})$/;

export interface PasswordCredential {
  /** Self-describing, safe to sync to the devices of the user's branch. */
  verifier: string;
  /** base64url; the server's copy only. A device derives it at sign-in and keeps it in memory. */
  authKey: string;
}

export type SignInResult = { ok: true; authKey: string } | { ok: false };

/** NFKC so the same password typed with a full-width IME layout still matches. */
function normalise(password: string): string {
  return password.normalize('NFKC');
}

function scryptAsync(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  return new Promise((resolve, reject) => {
    scrypt(
      normalise(password),
      salt,
      32,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

function derive(master: Buffer, label: string): Buffer {
  return createHmac('sha256', master).update(label).digest();
}

function checkParams(params: ScryptParams): void {
  for (const name of ['logN', 'r', 'p'] as const) {
    const [min, max] = LIMITS[name];
    const v = params[name];
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new RangeError(`scrypt parameter ${name}=${v} outside ${min}..${max}`);
    }
  }
}

export function checkPasswordPolicy(password: string): string | null {
  const length = [...normalise(password)].length;
  if (length < PASSWORD_MIN_LENGTH)
    return `a password needs at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH)
    return `a password may have at most ${PASSWORD_MAX_LENGTH} characters`;
  return null;
}

export async function createPasswordCredential(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<PasswordCredential> {
  const problem = checkPasswordPolicy(password);
  if (problem) throw new RangeError(problem);
  checkParams(params);
  const salt = randomBytes(16);
  const master = await scryptAsync(password, salt, params);
  const verifier = derive(master, 'fieldbook/verifier/v1');
  const authKey = derive(master, 'fieldbook/auth/v1');
  return {
    verifier: `${PREFIX}ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${verifier.toString('base64url')}`,
    authKey: authKey.toString('base64url'),
  };
}

export interface ParsedVerifier {
  params: ScryptParams;
  salt: Buffer;
  verifier: Buffer;
}

export function parseVerifier(text: string): ParsedVerifier | null {
  const m = VERIFIER_RE.exec(text);
  if (!m) return null;
  const params = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  try {
    checkParams(params);
  } catch {
    return null;
  }
  return {
    params,
    salt: Buffer.from(m[4] as string, 'base64url'),
    verifier: Buffer.from(m[5] as string, 'base64url'),
  };
}

/**
 * Checks a typed password against a verifier (offline sign-in). On success returns the
 * authKey the device needs for request and mutation proofs; keep it in memory only.
 * A malformed verifier never signs anyone in.
 */
export async function signIn(password: string, verifierText: string): Promise<SignInResult> {
  const parsed = parseVerifier(verifierText);
  if (!parsed || password.length > PASSWORD_MAX_LENGTH * 4) return { ok: false };
  const master = await scryptAsync(password, parsed.salt, parsed.params);
  const candidate = derive(master, 'fieldbook/verifier/v1');
  if (!timingSafeEqual(candidate, parsed.verifier)) return { ok: false };
  return { ok: true, authKey: derive(master, 'fieldbook/auth/v1').toString('base64url') };
}

export async function verifyPassword(password: string, verifierText: string): Promise<boolean> {
  return (await signIn(password, verifierText)).ok;
}

/** A readable random password for a new account or a reset: 4 groups of 4 (about 80 bits). */
export function generatePassword(): string {
  // No 0/O/1/l/I: passwords are read out over the phone and typed on laptops.
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i > 0 && i % 4 === 0) out += '-';
    out += alphabet[randomInt(alphabet.length)];
  }
  return out;
}
