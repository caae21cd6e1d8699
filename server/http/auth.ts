// Who is calling. Every request but enrolment carries the device token; every sync
// request also names the signed-in user and carries a proof computed with the user's
// auth key (derived from the password at sign-in on the device, see shared/node/password.ts).
// Order of checks: device token (unknown -> 401, revoked -> wipe), then user (unknown,
// not of the device's branch, disabled), then the proof over method, path and body.
import type { FastifyRequest } from 'fastify';
import type { UserRole } from '../../shared/domain/types';
import { proofsEqual, requestProof } from '../../shared/node/proofs';
import { HEADER_PROOF, HEADER_USER } from '../../shared/sync/protocol';
import type { Database } from '../db/database';
import { ServerError } from '../errors';
import { findDeviceByToken, sha256Hex, touchDevice, type DeviceRow } from '../model/devices';
import { loadUserAuth } from '../model/users';
import { DeviceRevoked } from './http-errors';

export interface AuthenticatedUser {
  id: string;
  role: UserRole;
  branchId: string | null;
}

export interface RequestAuth {
  device: DeviceRow;
  user: AuthenticatedUser | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
    rawBody: Buffer | null;
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? (m[1] as string) : null;
}

/** Rate limits count per device: the key is a hash of its token (or the address without one). */
export function rateLimitKey(request: FastifyRequest): string {
  const token = bearerToken(request);
  return token ? `device:${sha256Hex(token).slice(0, 32)}` : `ip:${request.ip}`;
}

function header(request: FastifyRequest, name: string): string | null {
  const v = request.headers[name];
  return typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null;
}

export async function authenticateDevice(
  db: Database,
  request: FastifyRequest,
): Promise<DeviceRow> {
  const token = bearerToken(request);
  if (!token)
    throw new ServerError(
      'unauthenticated',
      'This request needs a device token (Authorization: Bearer …); enrol the device first',
    );
  const device = await findDeviceByToken(db, token);
  if (!device)
    throw new ServerError(
      'device_unknown',
      'This device token is not known to the server; enrol the device again',
    );
  if (device.revoked_at) throw new DeviceRevoked(device.revoked_at);
  await touchDevice(db, device.id);
  request.log.debug({ deviceId: device.id }, 'device authenticated');
  return device;
}

export async function authenticateDeviceAndUser(
  db: Database,
  request: FastifyRequest,
): Promise<Required<RequestAuth> & { user: AuthenticatedUser }> {
  const device = await authenticateDevice(db, request);
  const userId = header(request, HEADER_USER);
  const proof = header(request, HEADER_PROOF);
  if (!userId || !proof) {
    throw new ServerError(
      'user_unauthenticated',
      `This request needs the signed-in user (${HEADER_USER}) and a proof (${HEADER_PROOF})`,
    );
  }
  const user = (await loadUserAuth(db, [userId])).get(userId);
  if (!user)
    throw new ServerError('user_unknown', 'This user is not known to the server', { userId });
  if (user.branchId !== device.branch_id) {
    throw new ServerError(
      'user_not_on_device',
      'This user does not belong to the branch this device is enrolled in',
      { userId },
    );
  }
  const expected = user.currentAuthKey
    ? requestProof(user.currentAuthKey, {
        deviceId: device.id,
        userId,
        method: request.method,
        pathAndQuery: request.url,
        body: request.rawBody ?? '',
      })
    : null;
  if (!expected || !proofsEqual(expected, proof)) {
    // Also what a device sees after a password reset: it should refresh the directory and ask the user to sign in again.
    throw new ServerError(
      'bad_proof',
      'The user proof does not match; sign in again (the password may have been reset)',
      { userId },
    );
  }
  if (user.disabled)
    throw new ServerError('user_disabled', 'This user has been disabled', { userId });
  const auth = { device, user: { id: user.id, role: user.role, branchId: user.branchId } };
  request.auth = auth;
  return auth;
}
