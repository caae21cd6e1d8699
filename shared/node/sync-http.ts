// A minimal HTTP client for the sync protocol (shared/sync/protocol.ts): signs requests
// as device + user, compresses request bodies, validates answers with zod, and turns
// the server's error bodies and the wipe instruction into typed errors. The device's
// sync engine builds on it; the server's tests and benchmark use it as a device would.
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants } from 'node:zlib';
import {
  HEADER_NEXT_CURSOR,
  HEADER_PROOF,
  HEADER_USER,
  SYNC_SCHEMA_VERSION,
  directorySchema,
  enrolResponseSchema,
  pushResponseSchema,
  toPushRequest,
  syncErrorBodySchema,
  wipeInstructionSchema,
  type Directory,
  type EnrolResponse,
  type Mutation,
  type PullResponse,
  type PushResponse,
  type SyncErrorCode,
  type WipeInstruction,
} from '../sync/protocol';
import { pullPageCheck } from '../sync/pull-check';
import { expandFactInPlace } from '../sync/records';
import { mutationProof, requestProof } from './proofs';
import { nodeHttpFetch } from './node-http-fetch';

const brotliAsync = promisify(brotliCompress);

/**
 * Brotli quality for a body of this many bytes. A push (a day's work is ~20 KB of JSON)
 * compresses at the highest quality in 10-35 ms, 8 % smaller than quality 5, and a metered
 * link pays for bytes; a larger body (a week offline) takes quality 5, as fast as gzip.
 */
export function brotliQualityFor(bytes: number): number {
  return bytes <= 64 * 1024 ? 11 : 5;
}

export async function brotliBody(raw: Uint8Array): Promise<Buffer> {
  return brotliAsync(raw, {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: brotliQualityFor(raw.length),
      [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
}

/** The server answered with a stable error code (resync_required, bad_proof, rate_limited …). */
export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: SyncErrorCode,
    message: string,
    readonly params: Record<string, string | number | boolean | null> = {},
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

/** The device was revoked: delete the ledger, keys and caches, then return to enrolment. */
export class WipeRequired extends Error {
  constructor(readonly instruction: WipeInstruction) {
    super(instruction.message);
    this.name = 'WipeRequired';
  }
}

export interface SignedInUser {
  id: string;
  /** From signIn() in password.ts; held in memory only. */
  authKey: string;
}

export interface SyncHttpOptions {
  baseUrl: string;
  /** Compress request bodies larger than this many bytes (brotli). */
  compressAbove?: number;
  /** The transport (default nodeHttpFetch; tests wrap it to count or break requests). */
  fetch?: typeof fetch;
  /**
   * Bytes of each request body as sent (after compression), and of the response body as the
   * server sent it when it gave a Content-Length (null for a chunked answer).
   */
  onBytes?: (sent: number, received: number | null) => void;
}

export interface DeviceCredentials {
  deviceId: string;
  deviceToken: string;
}

export type UnsignedMutation = Omit<Mutation, 'proof' | 'schemaVersion'> & {
  schemaVersion?: number;
};

/** Signs a mutation with its author's key when it is recorded (the outbox keeps the proof). */
export function signMutation(authKey: string, m: UnsignedMutation): Mutation {
  const full = { ...m, schemaVersion: m.schemaVersion ?? SYNC_SCHEMA_VERSION };
  return { ...full, proof: mutationProof(authKey, full) };
}

/** What validates an answer: a zod schema, or anything with the same safeParse verdicts. */
export interface AnswerCheck<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { message: string }[] } };
}

export interface PullOptions {
  /**
   * Runs when the answer names the next cursor in its headers (HEADER_NEXT_CURSOR), before
   * its body is read; the body is read once the promise it returns settles.
   */
  onNextCursor?: (next: string) => Promise<void>;
}

export class SyncHttpClient {
  private readonly fetchImpl: typeof fetch;
  private readonly compressAbove: number;

  constructor(private readonly options: SyncHttpOptions) {
    this.fetchImpl = options.fetch ?? nodeHttpFetch;
    this.compressAbove = options.compressAbove ?? 200;
  }

  async enrol(code: string, deviceName: string): Promise<EnrolResponse> {
    return this.request('POST', '/v1/enrol', { code, deviceName }, null, null, enrolResponseSchema);
  }

  async directory(device: DeviceCredentials): Promise<Directory> {
    return this.request('GET', '/v1/directory', undefined, device, null, directorySchema);
  }

  /** One request for the batch (version 2 envelope: see toPushRequest). */
  async push(
    device: DeviceCredentials,
    user: SignedInUser,
    mutations: readonly Mutation[],
  ): Promise<PushResponse> {
    return this.request(
      'POST',
      '/v1/sync/push',
      toPushRequest(device.deviceId, user.id, mutations),
      device,
      user,
      pushResponseSchema,
    );
  }

  async pull(
    device: DeviceCredentials,
    user: SignedInUser,
    cursor: string | null,
    limit?: number,
    options: PullOptions = {},
  ): Promise<PullResponse> {
    const params = new URLSearchParams();
    if (cursor) params.set('cursor', cursor);
    if (limit !== undefined) params.set('limit', String(limit));
    params.set('v', String(SYNC_SCHEMA_VERSION));
    const page = await this.request(
      'GET',
      `/v1/sync/pull?${params.toString()}`,
      undefined,
      device,
      user,
      // pullResponseV2Schema's verdict, with a fast path for the items (pull-check.ts).
      pullPageCheck,
      options.onNextCursor,
    );
    // Facts come compact (records.ts compactFact); the rest of the device reads them whole.
    // The page was parsed for this call alone: its facts are made whole where they are.
    for (const item of page.items) if (item.type === 'fact') expandFactInPlace(item.fact);
    return page as PullResponse;
  }

  private async request<T>(
    method: 'GET' | 'POST',
    pathAndQuery: string,
    body: unknown,
    device: DeviceCredentials | null,
    user: SignedInUser | null,
    schema: AnswerCheck<T>,
    onNextCursor?: (next: string) => Promise<void>,
  ): Promise<T> {
    const json = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-encoding': 'br, gzip',
    };
    if (device) headers.authorization = `Bearer ${device.deviceToken}`;
    if (device && user) {
      headers[HEADER_USER] = user.id;
      headers[HEADER_PROOF] = requestProof(user.authKey, {
        deviceId: device.deviceId,
        userId: user.id,
        method,
        pathAndQuery,
        body: json,
      });
    }
    let payload: Uint8Array | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      const raw = Buffer.from(json, 'utf8');
      if (raw.length > this.compressAbove) {
        payload = await brotliBody(raw);
        headers['content-encoding'] = 'br';
      } else {
        payload = raw;
      }
    }
    const res = await this.fetchImpl(new URL(pathAndQuery, this.options.baseUrl), {
      method,
      headers,
      ...(payload ? { body: payload } : {}),
    });
    const nextCursor = res.ok ? res.headers.get(HEADER_NEXT_CURSOR) : null;
    if (nextCursor && onNextCursor) await onNextCursor(nextCursor);
    const text = await res.text();
    const length = res.headers.get('content-length');
    this.options.onBytes?.(payload?.length ?? 0, length === null ? null : Number(length));
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      throw new SyncHttpError(
        res.status,
        'internal',
        `The server answered ${res.status} with a body that is not JSON`,
      );
    }
    if (res.status === 410) {
      const wipe = wipeInstructionSchema.safeParse(parsed);
      if (wipe.success) throw new WipeRequired(wipe.data);
    }
    if (!res.ok) {
      const err = syncErrorBodySchema.safeParse(parsed);
      if (err.success)
        throw new SyncHttpError(
          res.status,
          err.data.error.code,
          err.data.error.message,
          err.data.error.params ?? {},
        );
      throw new SyncHttpError(res.status, 'internal', `The server answered ${res.status}`);
    }
    const ok = schema.safeParse(parsed);
    if (!ok.success)
      throw new SyncHttpError(
        res.status,
        'internal',
        `Unexpected answer from the server: ${ok.error.issues[0]?.message ?? ''}`,
      );
    return ok.data;
  }
}
