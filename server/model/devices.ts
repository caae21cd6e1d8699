// Device enrolment and revocation. A one-time code (expires, single use) is exchanged
// for a device token; the server keeps only SHA-256 hashes of both, so a copy of the
// database lets nobody act as a device.
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database';
import { ServerError } from '../errors';
import { newId } from './ids';

export const DEVICE_TOKEN_PREFIX = 'fbd_';
export const DEFAULT_ENROLMENT_TTL_MS = 24 * 60 * 60 * 1000;

// Crockford base32 without I, L, O, U: read aloud or copied from a phone without mistakes.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** 'abcd efgh-jkmn' -> 'ABCDEFGHJKMN', with the usual look-alikes folded (O->0, I/L->1). */
export function normaliseEnrolmentCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

function newEnrolmentCode(): string {
  const bytes = randomBytes(12);
  let code = '';
  for (let i = 0; i < 12; i++) {
    if (i > 0 && i % 4 === 0) code += '-';
    code += CODE_ALPHABET[(bytes[i] as number) % 32];
  }
  return code; // 60 bits; rate limits on /v1/enrol make guessing hopeless within a code's lifetime
}

export interface IssuedEnrolmentCode {
  id: string;
  code: string;
  expiresAt: string;
  branchId: string | null;
}

export async function issueEnrolmentCode(
  tx: Queryable,
  input: {
    branchId: string | null;
    deviceName?: string | null;
    issuedBy: string;
    ttlMs?: number;
    now?: Date;
  },
): Promise<IssuedEnrolmentCode> {
  const now = input.now ?? new Date();
  const ttl = input.ttlMs ?? DEFAULT_ENROLMENT_TTL_MS;
  if (!(ttl > 0) || ttl > 30 * 24 * 60 * 60 * 1000) {
    throw new ServerError(
      'invalid_argument',
      'An enrolment code may live between 1 second and 30 days',
    );
  }
  const code = newEnrolmentCode();
  const id = newId();
  const expiresAt = new Date(now.getTime() + ttl).toISOString();
  await tx.query(
    `insert into enrolment_codes (id, code_hash, branch_id, device_name, issued_by, issued_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      id,
      sha256Hex(normaliseEnrolmentCode(code)),
      input.branchId,
      input.deviceName ?? null,
      input.issuedBy,
      now.toISOString(),
      expiresAt,
    ],
  );
  return { id, code, expiresAt, branchId: input.branchId };
}

export interface DeviceRow {
  id: string;
  branch_id: string | null;
  name: string;
  enrolled_by: string;
  enrolled_at: string;
  last_seen_at: string | null;
  last_mutation_id: number;
  revoked_at: string | null;
  revoked_by: string | null;
}

const DEVICE_COLUMNS =
  'id, branch_id, name, enrolled_by, enrolled_at, last_seen_at, last_mutation_id, revoked_at, revoked_by';

export interface EnrolledDevice {
  device: DeviceRow;
  /** Returned to the device once; only its hash is stored. */
  token: string;
}

export async function enrolDevice(
  tx: Queryable,
  input: { code: string; deviceName: string; now?: Date },
): Promise<EnrolledDevice> {
  const now = input.now ?? new Date();
  const codes = await tx.query<{
    id: string;
    branch_id: string | null;
    issued_by: string;
    expires_at: string;
    used_at: string | null;
    device_name: string | null;
  }>(
    `select id, branch_id, issued_by, expires_at, used_at, device_name from enrolment_codes
      where code_hash = $1 for update`,
    [sha256Hex(normaliseEnrolmentCode(input.code))],
  );
  const code = codes[0];
  if (!code)
    throw new ServerError(
      'enrolment_code_invalid',
      'This enrolment code is not known; check it or ask head office for a new one',
    );
  if (code.used_at)
    throw new ServerError(
      'enrolment_code_used',
      'This enrolment code has already been used; ask head office for a new one',
    );
  if (Date.parse(code.expires_at) <= now.getTime()) {
    throw new ServerError(
      'enrolment_code_expired',
      'This enrolment code has expired; ask head office for a new one',
    );
  }
  const token = DEVICE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const id = newId();
  const name = code.device_name ?? input.deviceName;
  const rows = await tx.query<DeviceRow>(
    `insert into devices (id, branch_id, name, token_hash, enrolment_code_id, enrolled_by, enrolled_at)
     values ($1, $2, $3, $4, $5, $6, $7) returning ${DEVICE_COLUMNS}`,
    [id, code.branch_id, name, sha256Hex(token), code.id, code.issued_by, now.toISOString()],
  );
  await tx.query('update enrolment_codes set used_at = $2, device_id = $3 where id = $1', [
    code.id,
    now.toISOString(),
    id,
  ]);
  return { device: rows[0] as DeviceRow, token };
}

export async function findDeviceByToken(q: Queryable, token: string): Promise<DeviceRow | null> {
  if (!token.startsWith(DEVICE_TOKEN_PREFIX) || token.length > 100) return null;
  const rows = await q.query<DeviceRow>(
    `select ${DEVICE_COLUMNS} from devices where token_hash = $1`,
    [sha256Hex(token)],
  );
  return rows[0] ?? null;
}

export async function listDevices(
  q: Queryable,
  filter: { branchId?: string | null; includeRevoked?: boolean } = {},
): Promise<(DeviceRow & { branch_code: string | null })[]> {
  const where: string[] = [];
  const params: (string | null)[] = [];
  if (filter.branchId !== undefined) {
    params.push(filter.branchId);
    where.push(`d.branch_id is not distinct from $${params.length}`);
  }
  if (!filter.includeRevoked) where.push('d.revoked_at is null');
  return q.query<DeviceRow & { branch_code: string | null }>(
    `select ${DEVICE_COLUMNS.split(', ')
      .map((c) => `d.${c}`)
      .join(', ')}, b.code as branch_code
       from devices d left join branches b on b.id = d.branch_id
      ${where.length ? `where ${where.join(' and ')}` : ''}
      order by b.code nulls first, d.enrolled_at`,
    params,
  );
}

export async function revokeDevice(
  tx: Queryable,
  deviceId: string,
  revokedBy: string,
): Promise<DeviceRow> {
  const rows = await tx.query<DeviceRow>(
    `select ${DEVICE_COLUMNS} from devices where id = $1 for update`,
    [deviceId],
  );
  const device = rows[0];
  if (!device) throw new ServerError('not_found', `No device with id ${deviceId}`);
  if (device.revoked_at)
    throw new ServerError(
      'conflict',
      `Device ${deviceId} was already revoked at ${device.revoked_at}`,
    );
  const updated = await tx.query<DeviceRow>(
    `update devices set revoked_at = now(), revoked_by = $2 where id = $1 returning ${DEVICE_COLUMNS}`,
    [deviceId, revokedBy],
  );
  return updated[0] as DeviceRow;
}

/** Updates last_seen_at at most once a minute per device, to keep reads from writing. */
export async function touchDevice(q: Queryable, deviceId: string): Promise<void> {
  await q.query(
    `update devices set last_seen_at = now()
      where id = $1 and (last_seen_at is null or last_seen_at < now() - interval '1 minute')`,
    [deviceId],
  );
}
