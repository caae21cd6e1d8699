// Every role against every route: who may call what, which cases each may write and
// read, another branch's cases, disabled users, forged proofs, and a revoked device.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestProof } from '../../shared/node/proofs';
import { HEADER_PROOF, HEADER_USER, wipeInstructionSchema } from '../../shared/sync/protocol';
import type { PullItem } from '../../shared/sync/records';
import type { Database } from '../../server/db/database';
import { testBackends } from './helpers/backends';
import {
  contactPayload,
  createWorld,
  type DeviceKey,
  type TestDevice,
  type TestUser,
  type UserKey,
  type World,
} from './helpers/world';

interface Call {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
}

describe.each(testBackends())('authorization on $name', (backend) => {
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

  async function call(
    c: Call,
    device: TestDevice | null,
    user: TestUser | null,
    tamper?: 'proof',
  ): Promise<{ status: number; body: { error?: { code: string } } & Record<string, unknown> }> {
    const json = c.body === undefined ? '' : JSON.stringify(c.body);
    const headers: Record<string, string> = {};
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    if (device) headers.authorization = `Bearer ${device.deviceToken}`;
    if (device && user) {
      headers[HEADER_USER] = user.id;
      const proof = requestProof(user.authKey, {
        deviceId: device.deviceId,
        userId: user.id,
        method: c.method,
        pathAndQuery: c.url,
        body: json,
      });
      headers[HEADER_PROOF] =
        tamper === 'proof' ? proof.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')) : proof;
    }
    const res = await w.app.inject({
      method: c.method,
      url: c.url,
      headers,
      ...(c.body !== undefined ? { payload: json } : {}),
    });
    return { status: res.statusCode, body: res.json() };
  }

  const routes = (): Record<string, Call> => ({
    directory: { method: 'GET', url: '/v1/directory' },
    pull: { method: 'GET', url: '/v1/sync/pull?limit=10' },
    push: {
      method: 'POST',
      url: '/v1/sync/push',
      body: {
        mutations: [
          w.mutation(
            w.devices.a1,
            w.users.officerA1,
            w.cases.a1[0] as string,
            'fact',
            contactPayload(),
          ),
        ],
      },
    },
  });

  it.each(['directory', 'pull', 'push'])(
    '%s: without a device token -> 401 unauthenticated',
    async (route) => {
      const r = await call(routes()[route] as Call, null, null);
      expect(r).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    },
  );

  it.each(['directory', 'pull', 'push'])(
    '%s: with an unknown device token -> 401 device_unknown',
    async (route) => {
      const r = await call(
        routes()[route] as Call,
        { ...w.devices.a1, deviceToken: 'fbd_forged' },
        w.users.officerA1,
      );
      expect(r).toMatchObject({ status: 401, body: { error: { code: 'device_unknown' } } });
    },
  );

  it.each(['directory', 'pull', 'push'])(
    '%s: from a revoked device, whoever signs in -> 410 wipe',
    async (route) => {
      for (const user of [w.users.officerA1, w.users.managerA, null]) {
        const r = await call(routes()[route] as Call, w.devices.revoked, user);
        expect(r.status).toBe(410);
        expect(wipeInstructionSchema.parse(r.body)).toMatchObject({
          instruction: 'wipe',
          reason: 'device_revoked',
        });
      }
    },
  );

  it.each(['pull', 'push'])(
    '%s: device token without a signed-in user -> 401 user_unauthenticated',
    async (route) => {
      const r = await call(routes()[route] as Call, w.devices.a1, null);
      expect(r).toMatchObject({ status: 401, body: { error: { code: 'user_unauthenticated' } } });
    },
  );

  it.each(['pull', 'push'])('%s: a forged proof -> 401 bad_proof', async (route) => {
    const r = await call(routes()[route] as Call, w.devices.a1, w.users.officerA1, 'proof');
    expect(r).toMatchObject({ status: 401, body: { error: { code: 'bad_proof' } } });
  });

  it.each(['pull', 'push'])(
    '%s: a proof for another path or body -> 401 bad_proof',
    async (route) => {
      const c = routes()[route] as Call;
      const json = c.body === undefined ? '' : JSON.stringify(c.body);
      const proof = requestProof(w.users.officerA1.authKey, {
        deviceId: w.devices.a1.deviceId,
        userId: w.users.officerA1.id,
        method: c.method,
        pathAndQuery: `${c.url}&x=1`,
        body: json,
      });
      const res = await w.app.inject({
        method: c.method,
        url: c.url,
        headers: {
          authorization: `Bearer ${w.devices.a1.deviceToken}`,
          [HEADER_USER]: w.users.officerA1.id,
          [HEADER_PROOF]: proof,
          ...(c.body ? { 'content-type': 'application/json' } : {}),
        },
        ...(c.body ? { payload: json } : {}),
      });
      expect(res.statusCode).toBe(401);
    },
  );

  it.each(['pull', 'push'])(
    "%s: a user of another branch on this branch's device -> 403 user_not_on_device",
    async (route) => {
      for (const user of [w.users.officerB1, w.users.managerB, w.users.admin]) {
        const r = await call(routes()[route] as Call, w.devices.a1, user);
        expect(r).toMatchObject({ status: 403, body: { error: { code: 'user_not_on_device' } } });
      }
    },
  );

  it.each(['pull', 'push'])('%s: a disabled user -> 403 user_disabled', async (route) => {
    const r = await call(routes()[route] as Call, w.devices.a1, w.users.disabledA);
    expect(r).toMatchObject({ status: 403, body: { error: { code: 'user_disabled' } } });
  });

  // Which cases each signed-in user may write (push) and receives (pull).
  type CaseGroup = 'a1' | 'a2' | 'aUnassigned' | 'b1';
  const matrix: { user: UserKey; device: DeviceKey; writes: CaseGroup[] }[] = [
    { user: 'officerA1', device: 'a1', writes: ['a1'] },
    { user: 'officerA2', device: 'a2', writes: ['a2'] },
    { user: 'managerA', device: 'a1', writes: ['a1', 'a2', 'aUnassigned'] },
    { user: 'officerB1', device: 'b', writes: ['b1'] },
    { user: 'managerB', device: 'b', writes: ['b1'] },
    { user: 'admin', device: 'hq', writes: ['a1', 'a2', 'aUnassigned', 'b1'] },
  ];
  const groups: CaseGroup[] = ['a1', 'a2', 'aUnassigned', 'b1'];

  it.each(matrix)('$user writes exactly the cases of $writes', async ({ user, device, writes }) => {
    const u = w.users[user];
    const d = w.devices[device];
    const batch = groups.map((g) =>
      w.mutation(d, u, w.cases[g][0] as string, 'fact', contactPayload()),
    );
    const res = await w.client.push(d, u, batch);
    const outcome = Object.fromEntries(
      groups.map((g, i) => {
        const r = res.results[i];
        return [g, r?.status === 'accepted' ? 'accepted' : r?.reason];
      }),
    );
    expect(outcome).toEqual(
      Object.fromEntries(groups.map((g) => [g, writes.includes(g) ? 'accepted' : 'forbidden'])),
    );
  });

  it.each(matrix)('$user reads exactly the cases of $writes', async ({ user, device, writes }) => {
    const items: PullItem[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await w.client.pull(w.devices[device], w.users[user], cursor);
      items.push(...page.items);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const caseIds = new Set(items.flatMap((i) => (i.type === 'case' ? [i.case.id] : [])));
    const factCases = new Set(items.flatMap((i) => (i.type === 'fact' ? [i.fact.caseId] : [])));
    const expected = new Set(writes.flatMap((g) => w.cases[g]));
    expect(caseIds).toEqual(expected);
    for (const c of factCases) expect(expected.has(c)).toBe(true);
  });

  it('enrolment and health need no token; metrics are public unless a token is configured', async () => {
    expect((await w.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await w.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    const r = await call(
      { method: 'POST', url: '/v1/enrol', body: { code: 'XXXX-XXXX-XXXX', deviceName: 'x' } },
      null,
      null,
    );
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'enrolment_code_invalid' } } });
  });
});
