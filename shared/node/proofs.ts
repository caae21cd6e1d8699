// Proofs that a request or a mutation comes from a user who typed their password on this
// device: HMAC-SHA256 with the user's authKey (password.ts) over a fixed, line-separated
// text. The device computes them; the server recomputes and compares in constant time.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../sync/canonical-json';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(authKey: string, text: string): string {
  return createHmac('sha256', Buffer.from(authKey, 'base64url'))
    .update(text, 'utf8')
    .digest('base64url');
}

export interface SignedRequest {
  deviceId: string;
  userId: string;
  /** Upper-case HTTP method. */
  method: string;
  /** Path and query string exactly as sent, e.g. '/v1/sync/pull?cursor=abc&limit=500'. */
  pathAndQuery: string;
  /** The uncompressed body bytes as sent ('' for GET). */
  body: string | Uint8Array;
}

/** X-Fieldbook-Proof for one request. */
export function requestProof(authKey: string, r: SignedRequest): string {
  return hmac(
    authKey,
    [
      'fieldbook-request-v1',
      r.deviceId,
      r.userId,
      r.method.toUpperCase(),
      r.pathAndQuery,
      sha256Hex(r.body),
    ].join('\n'),
  );
}

export interface SignedMutation {
  deviceId: string;
  mutationId: number;
  schemaVersion: number;
  userId: string;
  kind: string;
  caseId: string;
  hlc: string;
  payload: unknown;
}

/** The `proof` of a mutation, computed by its author's device when the mutation is recorded. */
export function mutationProof(authKey: string, m: SignedMutation): string {
  return hmac(
    authKey,
    [
      'fieldbook-mutation-v1',
      m.deviceId,
      String(m.mutationId),
      String(m.schemaVersion),
      m.userId,
      m.kind,
      m.caseId,
      m.hlc,
      sha256Hex(canonicalJson(m.payload)),
    ].join('\n'),
  );
}

export function proofsEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
