// Limits and operations: body size limits (compressed bodies included), compression both
// ways, per-device rate limits, validation errors, borrower data kept out of the logs,
// /health and /metrics.
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestProof } from '../../shared/node/proofs';
import { SyncHttpError } from '../../shared/node/sync-http';
import { HEADER_PROOF, HEADER_USER, pullResponseSchema } from '../../shared/sync/protocol';
import type { Database } from '../../server/db/database';
import { safeError } from '../../server/http/logging';
import { testBackends } from './helpers/backends';
import {
  contactPayload,
  createWorld,
  loanOf,
  paymentPayload,
  type TestDevice,
  type TestUser,
  type World,
} from './helpers/world';

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

describe.each(testBackends())('hardening on $name', (backend) => {
  describe('bodies, compression and validation', () => {
    let db: Database;
    let w: World;
    beforeAll(async () => {
      db = await backend.open();
      w = await createWorld(db, { pushBodyLimit: 64 * 1024 });
    });
    afterAll(async () => {
      await w?.close();
      await db?.close();
    });

    const push = (
      json: string,
      extra: Record<string, string> = {},
      payload: Buffer | string = json,
    ) =>
      w.app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: {
          'content-type': 'application/json',
          ...signedHeaders(w.devices.a1, w.users.officerA1, 'POST', '/v1/sync/push', json),
          ...extra,
        },
        payload,
      });

    it('accepts gzip and br request bodies', async () => {
      const c = w.cases.a1[0] as string;
      for (const [encoding, compress] of [
        ['gzip', gzipSync],
        ['br', brotliCompressSync],
      ] as const) {
        const json = JSON.stringify({
          mutations: [w.mutation(w.devices.a1, w.users.officerA1, c, 'fact', contactPayload())],
        });
        const res = await push(json, { 'content-encoding': encoding }, compress(Buffer.from(json)));
        expect(res.statusCode).toBe(200);
        expect(res.json().results[0].status).toBe('accepted');
      }
    });

    it('refuses an unknown encoding and a corrupt compressed body', async () => {
      const json = JSON.stringify({ mutations: [] });
      expect((await push(json, { 'content-encoding': 'compress' })).json()).toMatchObject({
        error: { code: 'unsupported_encoding' },
      });
      const corrupt = await push(
        json,
        { 'content-encoding': 'gzip' },
        Buffer.from('not gzip at all'),
      );
      expect(corrupt.statusCode).toBe(400);
      expect(corrupt.json().error.code).toBe('unsupported_encoding');
    });

    it('compresses answers with br or gzip as the device asks', async () => {
      const url = '/v1/sync/pull?limit=500';
      for (const encoding of ['br', 'gzip']) {
        const res = await w.app.inject({
          method: 'GET',
          url,
          headers: {
            ...signedHeaders(w.devices.a1, w.users.managerA, 'GET', url, ''),
            'accept-encoding': encoding,
          },
        });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-encoding']).toBe(encoding);
        const text =
          encoding === 'br'
            ? brotliDecompressSync(res.rawPayload).toString()
            : (await import('node:zlib')).gunzipSync(res.rawPayload).toString();
        expect(pullResponseSchema.parse(JSON.parse(text)).items.length).toBeGreaterThan(10);
        expect(res.rawPayload.length).toBeLessThan(text.length / 2);
      }
    });

    it('refuses a body over the limit with 413, also when it only grows on decompression', async () => {
      const c = w.cases.a1[0] as string;
      const big = JSON.stringify({
        mutations: [
          w.mutation(
            w.devices.a1,
            w.users.officerA1,
            c,
            'fact',
            contactPayload({ note: 'x'.repeat(1900) }),
          ),
        ],
        pad: 'y'.repeat(70 * 1024),
      });
      const plain = await push(big);
      expect(plain.statusCode).toBe(413);
      expect(plain.json().error.code).toBe('payload_too_large');
      const bomb = gzipSync(Buffer.from(big));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const zipped = await push(big, { 'content-encoding': 'gzip' }, bomb);
      expect(zipped.statusCode).toBe(413);
      // Enrolment takes far less.
      const enrol = await w.app.inject({
        method: 'POST',
        url: '/v1/enrol',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ code: 'x', deviceName: 'y'.repeat(20_000) }),
      });
      expect(enrol.statusCode).toBe(413);
    });

    it('answers malformed requests with stable codes and readable messages', async () => {
      const notJson = await push('{"mutations": [', {}, '{"mutations": [');
      expect(notJson.statusCode).toBe(400);
      expect(notJson.json().error.code).toBe('invalid_json');
      const wrongType = await w.app.inject({
        method: 'POST',
        url: '/v1/enrol',
        headers: { 'content-type': 'text/plain' },
        payload: 'hello',
      });
      expect(wrongType.statusCode).toBe(415);
      expect(wrongType.json().error.code).toBe('unsupported_media_type');
      const shape = JSON.stringify({
        mutations: [{ deviceId: w.devices.a1.deviceId, mutationId: 'one' }],
      });
      const badShape = await push(shape);
      expect(badShape.statusCode).toBe(400);
      expect(badShape.json().error).toMatchObject({
        code: 'invalid_input',
        params: { field: 'mutations.0.mutationId' },
      });
      expect(badShape.json().error.message).toMatch(
        /^Invalid push request at mutations\.0\.mutationId: /,
      );
      const poisoned = '{"mutations":[],"__proto__":{"admin":true}}';
      expect((await push(poisoned)).json().error.code).toBe('invalid_input');
      const missing = await w.app.inject({ method: 'GET', url: '/v1/nothing-here' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('not_found');
      const url = '/v1/sync/pull?limit=10&evil=1';
      const extra = await w.app.inject({
        method: 'GET',
        url,
        headers: signedHeaders(w.devices.a1, w.users.officerA1, 'GET', url, ''),
      });
      expect(extra.json().error).toMatchObject({ code: 'invalid_input' });
    });

    it('reports health and Prometheus metrics', async () => {
      const health = await w.app.inject({ method: 'GET', url: '/health' });
      expect(health.json()).toMatchObject({ status: 'ok', database: backend.name });
      await w.client.pull(w.devices.a1, w.users.officerA1, null);
      const metrics = await w.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = metrics.body;
      expect(text).toMatch(
        /fieldbook_http_requests_total\{route="\/v1\/sync\/pull",method="GET",status="200"\} \d+/,
      );
      expect(text).toMatch(
        /fieldbook_http_requests_total\{route="\/v1\/sync\/push",method="POST",status="413"\} \d+/,
      );
      expect(text).toMatch(/fieldbook_sync_push_mutations_total\{result="accepted"\} [1-9]/);
      expect(text).toMatch(/fieldbook_sync_pull_requests_total [1-9]/);
      expect(text).toMatch(
        /fieldbook_http_request_duration_seconds_bucket\{route="\/v1\/sync\/pull",le="\+Inf"\} [1-9]/,
      );
      expect(text).toMatch(/fieldbook_sync_push_duration_seconds_count [1-9]/);
    });
  });

  describe('metrics token', () => {
    let db: Database;
    let w: World;
    beforeAll(async () => {
      db = await backend.open();
      w = await createWorld(db, { metricsToken: 'scrape-token-0123456789' });
    });
    afterAll(async () => {
      await w?.close();
      await db?.close();
    });

    it('guards /metrics when a token is configured', async () => {
      expect((await w.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      const ok = await w.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer scrape-token-0123456789' },
      });
      expect(ok.statusCode).toBe(200);
    });
  });

  describe('rate limits', () => {
    let db: Database;
    let w: World;
    beforeAll(async () => {
      db = await backend.open();
      // createWorld enrols 5 devices from this address: 3 enrolments are left.
      w = await createWorld(db, { rateLimitPerMinute: 4, enrolPerMinute: 8 });
    });
    afterAll(async () => {
      await w?.close();
      await db?.close();
    });

    it('limits each device on its own, and never /health', async () => {
      for (let i = 0; i < 4; i++) await w.client.pull(w.devices.a1, w.users.officerA1, null);
      const err = await w.client
        .pull(w.devices.a1, w.users.officerA1, null)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SyncHttpError);
      expect(err).toMatchObject({ status: 429, code: 'rate_limited' });
      const raw = await w.app.inject({
        method: 'GET',
        url: '/v1/directory',
        headers: { authorization: `Bearer ${w.devices.a1.deviceToken}` },
      });
      expect(raw.statusCode).toBe(429);
      expect(Number(raw.headers['retry-after'])).toBeGreaterThan(0);
      await expect(w.client.pull(w.devices.a2, w.users.officerA2, null)).resolves.toMatchObject({
        hasMore: false,
      });
      for (let i = 0; i < 10; i++)
        expect((await w.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    });

    it('limits enrolment attempts per address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await w.app.inject({
          method: 'POST',
          url: '/v1/enrol',
          headers: { 'content-type': 'application/json' },
          payload: { code: `GUESS-${i}`, deviceName: 'x' },
        });
        statuses.push(res.statusCode);
      }
      expect(statuses).toEqual([400, 400, 400, 429, 429]);
    });
  });

  describe('logs', () => {
    let db: Database;
    let w: World;
    const lines: string[] = [];
    beforeAll(async () => {
      db = await backend.open();
      w = await createWorld(db, {
        log: { level: 'debug', stream: { write: (line: string) => void lines.push(line) } },
      });
    });
    afterAll(async () => {
      await w?.close();
      await db?.close();
    });

    it('never contain borrower names, phone numbers, id numbers, addresses or notes', async () => {
      const borrower = (
        await db.query<{ name: string; id_number: string; address: string }>(
          'select b.name, b.id_number, b.address from borrowers b join cases c on c.borrower_id = b.id where c.id = $1',
          [w.cases.a1[0] as string],
        )
      )[0] as { name: string; id_number: string; address: string };
      const phone = (
        await db.query<{ value: string }>(
          `select value from contact_points where kind = 'mobile' limit 1`,
        )
      )[0]?.value as string;
      const note = `${borrower.name} 说下周一还款 ${phone}`;
      const c = w.cases.a1[0] as string;
      // Accepted, refused, invalid and unreadable requests all carrying borrower data.
      await w.client.push(w.devices.a1, w.users.officerA1, [
        w.mutation(w.devices.a1, w.users.officerA1, c, 'fact', contactPayload({ note })),
        w.mutation(
          w.devices.a1,
          w.users.officerA1,
          c,
          'fact',
          paymentPayload(await loanOf(db, c), borrower.name, { note }),
        ),
        w.mutation(
          w.devices.a1,
          w.users.officerA1,
          c,
          'fact',
          contactPayload({ outcome: borrower.name, note }),
        ),
        w.mutation(w.devices.a1, w.users.officerA1, c, 'contact_point', {
          contactPointId: 'cp-new',
          kind: 'mobile',
          value: phone,
          party: borrower.address,
          name: borrower.name,
          relation: null,
          status: 'active',
        }),
      ]);
      await w.client.pull(w.devices.a1, w.users.officerA1, null);
      const json = JSON.stringify({
        mutations: [
          { name: borrower.name, idNumber: borrower.id_number, address: borrower.address },
        ],
      });
      await w.app.inject({
        method: 'POST',
        url: '/v1/sync/push',
        headers: {
          'content-type': 'application/json',
          ...signedHeaders(w.devices.a1, w.users.officerA1, 'POST', '/v1/sync/push', json),
        },
        payload: json,
      });
      await w.app.inject({
        method: 'POST',
        url: '/v1/enrol',
        headers: { 'content-type': 'application/json' },
        payload: `{"code": "${borrower.name}", "deviceName": `,
      });
      await w.app.inject({
        method: 'GET',
        url: `/v1/sync/pull?cursor=${encodeURIComponent(borrower.name)}`,
        headers: { authorization: `Bearer ${w.devices.a1.deviceToken}` },
      });

      // Should code ever log a record with borrower fields, the logger redacts them.
      w.app.log.info(
        {
          borrower: {
            name: borrower.name,
            idNumber: borrower.id_number,
            address: borrower.address,
          },
          payload: { note },
        },
        'careless line',
      );
      w.app.log.info({ contact: { phone, value: phone } }, 'careless line');

      const log = lines.join('');
      expect(log).toMatch(/careless line/);
      expect(log).toMatch(/push applied/);
      expect(log).toMatch(/request refused/);
      for (const secret of [
        borrower.name,
        borrower.id_number,
        borrower.address,
        phone,
        '下周一',
        w.devices.a1.deviceToken,
      ]) {
        expect(log).not.toContain(secret);
      }
    });

    it('drops values from database errors before logging them', () => {
      const pgError = Object.assign(new Error('invalid input syntax for type date: "王秀英"'), {
        code: '22007',
        detail: 'Key (receipt_no)=(王秀英) already exists.',
        params: ['王秀英'],
        query: 'insert …',
      });
      const logged = JSON.stringify(safeError(pgError));
      expect(logged).not.toContain('王秀英');
      expect(logged).toContain('22007');
    });
  });
});
