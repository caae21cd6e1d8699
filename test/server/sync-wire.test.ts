// The sync wire format, version 2 (shared/sync/protocol.ts): what a push and a pull put on
// the wire, that a device still on version 1 keeps syncing, and that a device newer than
// the server is told so instead of being guessed at.
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationProof, requestProof } from '../../shared/node/proofs';
import { SyncHttpError } from '../../shared/node/sync-http';
import {
  HEADER_PROOF,
  HEADER_USER,
  SYNC_SCHEMA_VERSION,
  pullResponseSchema,
  pushResponseSchema,
  toPushRequest,
} from '../../shared/sync/protocol';
import { compactFact, expandFact, type FactRecord } from '../../shared/sync/records';
import type { Database } from '../../server/db/database';
import { testBackends } from './helpers/backends';
import {
  contactPayload,
  createWorld,
  type TestDevice,
  type TestUser,
  type World,
} from './helpers/world';

/** The body as JSON, decompressed when the server compressed it. */
function bodyOf(res: { headers: Record<string, unknown>; rawPayload: Buffer }): unknown {
  const raw =
    res.headers['content-encoding'] === 'br'
      ? brotliDecompressSync(res.rawPayload)
      : res.rawPayload;
  return JSON.parse(raw.toString()) as unknown;
}

function signedHeaders(
  device: TestDevice,
  user: TestUser,
  method: string,
  url: string,
  body: string,
): Record<string, string> {
  return {
    authorization: `Bearer ${device.deviceToken}`,
    [HEADER_USER]: user.id,
    [HEADER_PROOF]: requestProof(user.authKey, {
      deviceId: device.deviceId,
      userId: user.id,
      method,
      pathAndQuery: url,
      body,
    }),
  };
}

describe('version 2 envelope (no server)', () => {
  it("leaves out deviceId, userId and proof of the signer's own mutations, keeps another author's", () => {
    const base = {
      deviceId: 'dev-1',
      schemaVersion: SYNC_SCHEMA_VERSION,
      kind: 'fact',
      caseId: 'case-1',
      payload: { a: 1 },
      hlc: '2026-11-28T07:30:00.000Z-0000-0123456789abcdef',
    };
    const body = toPushRequest('dev-1', 'officer', [
      { ...base, mutationId: 1, userId: 'officer', proof: 'p1' },
      { ...base, mutationId: 2, userId: 'colleague', proof: 'p2' },
      { ...base, mutationId: 3, userId: 'officer', proof: 'p3', schemaVersion: 1 },
    ]);
    expect(body).toMatchObject({ schemaVersion: SYNC_SCHEMA_VERSION, deviceId: 'dev-1' });
    expect(body.mutations[0]).toEqual({
      mutationId: 1,
      kind: 'fact',
      caseId: 'case-1',
      hlc: base.hlc,
      payload: { a: 1 },
    });
    expect(body.mutations[1]).toMatchObject({ userId: 'colleague', proof: 'p2' });
    expect(body.mutations[1]).not.toHaveProperty('deviceId');
    expect(body.mutations[2]).toMatchObject({ schemaVersion: 1 });
    expect(body.mutations[2]).not.toHaveProperty('proof');
  });

  it('sends a fact without what its record already says, and gets it back whole', () => {
    const fact: FactRecord = {
      id: 'f1',
      caseId: 'c1',
      kind: 'payment',
      recordedBy: 'u1',
      deviceId: 'd1',
      occurredAt: '2026-11-28T07:30:00.000Z',
      hlc: '2026-11-28T07:30:00.000Z-0000-0123456789abcdef',
      payload: {
        factKind: 'payment',
        factId: 'f1',
        occurredAt: '2026-11-28T07:30:00.000Z',
        amountFen: 100,
      },
      flags: [],
      receivedAt: '2026-11-28T07:31:00.000Z',
    };
    const compact = compactFact(fact);
    expect(compact.payload).toEqual({ amountFen: 100 });
    expect(compact).not.toHaveProperty('flags');
    expect(expandFact(compact as Parameters<typeof expandFact>[0])).toEqual(fact);
    // A payload that disagrees with its record keeps its own value.
    const odd = {
      ...fact,
      payload: { ...fact.payload, factId: 'other' },
      flags: ['loan_closed' as const],
    };
    expect(expandFact(compactFact(odd) as Parameters<typeof expandFact>[0])).toEqual(odd);
  });
});

describe.each(testBackends())('sync wire on $name', (backend) => {
  let db: Database;
  let w: World;
  beforeAll(async () => {
    db = await backend.open();
    w = await createWorld(db);
  });
  afterAll(async () => {
    await w?.close();
    await db?.close();
  });

  async function rawPush(device: TestDevice, user: TestUser, body: unknown) {
    const json = JSON.stringify(body);
    return w.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: {
        ...signedHeaders(device, user, 'POST', '/v1/sync/push', json),
        'content-type': 'application/json',
        'accept-encoding': 'br',
      },
      payload: json,
    });
  }

  it("accepts the signer's own mutation on the request proof alone, answered compactly", async () => {
    const m = w.mutation(
      w.devices.a1,
      w.users.officerA1,
      w.cases.a1[0] as string,
      'fact',
      contactPayload(),
    );
    const res = await rawPush(
      w.devices.a1,
      w.users.officerA1,
      toPushRequest(w.devices.a1.deviceId, w.users.officerA1.id, [m]),
    );
    expect(res.statusCode).toBe(200);
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    const answer = bodyOf(res);
    expect(answer).toEqual({
      results: [{ mutationId: m.mutationId, status: 'accepted' }],
      lastMutationId: m.mutationId,
    });
    expect(pushResponseSchema.parse(answer).results[0]).toMatchObject({
      status: 'accepted',
      duplicate: false,
      flags: [],
    });
  });

  it("refuses another user's mutation whose proof is not theirs, and one claiming an author without a proof", async () => {
    const c = w.cases.a2[0] as string;
    const byA2 = w.mutation(w.devices.a1, w.users.officerA2, c, 'fact', contactPayload());
    const body = toPushRequest(w.devices.a1.deviceId, w.users.officerA1.id, [
      { ...byA2, proof: mutationProof(w.users.officerA1.authKey, byA2) },
    ]);
    const res = await w.client.push(w.devices.a1, w.users.officerA1, [
      { ...byA2, proof: mutationProof(w.users.officerA1.authKey, byA2) },
    ]);
    expect(res.results[0]).toMatchObject({ status: 'refused', reason: 'bad_author_proof' });
    const { proof: _dropped, ...withoutProof } = body.mutations[0] as Record<string, unknown>;
    void _dropped;
    const bare = await rawPush(w.devices.a1, w.users.officerA1, {
      ...body,
      mutations: [withoutProof],
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.code).toBe('invalid_input');
  });

  it('refuses a push that names another device than its token', async () => {
    const m = w.mutation(
      w.devices.a1,
      w.users.officerA1,
      w.cases.a1[1] as string,
      'fact',
      contactPayload(),
    );
    const res = await rawPush(w.devices.a1, w.users.officerA1, {
      ...toPushRequest(w.devices.a1.deviceId, w.users.officerA1.id, [m]),
      deviceId: w.devices.a2.deviceId,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.params.field).toBe('deviceId');
  });

  it('still takes a version 1 push from an outdated device, answered in full', async () => {
    const m = w.mutation(
      w.devices.a1,
      w.users.officerA1,
      w.cases.a1[1] as string,
      'fact',
      contactPayload(),
    );
    const res = await rawPush(w.devices.a1, w.users.officerA1, { mutations: [m] });
    expect(res.statusCode).toBe(200);
    const answer = bodyOf(res) as { results: unknown[] };
    expect(answer.results[0]).toEqual({
      mutationId: m.mutationId,
      status: 'accepted',
      duplicate: false,
      factId: m.payload.factId,
      flags: [],
    });
  });

  it('serves version 1 pulls whole and version 2 pulls compact; a newer device is told to wait', async () => {
    const get = async (url: string) => {
      const res = await w.app.inject({
        method: 'GET',
        url,
        headers: {
          ...signedHeaders(w.devices.a2, w.users.officerA1, 'GET', url, ''),
          'accept-encoding': 'br',
        },
      });
      return {
        status: res.statusCode,
        body: JSON.parse(brotliDecompressSync(res.rawPayload).toString()) as Record<
          string,
          unknown
        >,
      };
    };
    const v1 = await get('/v1/sync/pull?limit=5000');
    const v1Facts = pullResponseSchema.parse(v1.body).items.filter((i) => i.type === 'fact');
    expect(v1Facts.length).toBeGreaterThan(0);
    const v2 = await get('/v1/sync/pull?limit=5000&v=2');
    const v2Facts = (
      v2.body.items as { type: string; fact: { payload: Record<string, unknown> } }[]
    ).filter((i) => i.type === 'fact');
    expect(v2Facts).toHaveLength(v1Facts.length);
    for (const f of v2Facts) expect(f.fact.payload).not.toHaveProperty('factKind');
    // The client puts back what was left out: the device sees version 1 facts.
    const viaClient = await w.client.pull(w.devices.a2, w.users.officerA1, null, 5000);
    expect(
      viaClient.items
        .filter((i) => i.type === 'fact')
        .map((i) => i.type === 'fact' && i.fact.payload),
    ).toEqual(v1Facts.map((i) => i.type === 'fact' && i.fact.payload));
    const newer = await w.app.inject({
      method: 'GET',
      url: `/v1/sync/pull?v=${SYNC_SCHEMA_VERSION + 1}`,
      headers: signedHeaders(
        w.devices.a2,
        w.users.officerA1,
        'GET',
        `/v1/sync/pull?v=${SYNC_SCHEMA_VERSION + 1}`,
        '',
      ),
    });
    expect(newer.statusCode).toBe(400);
    expect(newer.json().error).toMatchObject({
      code: 'invalid_input',
      params: { supported: SYNC_SCHEMA_VERSION },
    });
  });

  it('is a SyncHttpError with the server’s code when the device is newer than the server', async () => {
    const m = w.mutation(
      w.devices.a1,
      w.users.officerA1,
      w.cases.a1[2] as string,
      'fact',
      contactPayload(),
    );
    const res = await rawPush(w.devices.a1, w.users.officerA1, {
      ...toPushRequest(w.devices.a1.deviceId, w.users.officerA1.id, [m]),
      schemaVersion: SYNC_SCHEMA_VERSION + 1,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.params).toMatchObject({ field: 'schemaVersion' });
    void SyncHttpError;
  });
});
