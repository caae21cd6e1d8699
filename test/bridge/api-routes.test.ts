// The dev bridge answers the API contract over HTTP on loopback only, validates every
// input exactly like the Electron IPC path, and refuses cross-origin or foreign-host calls.
import { createServer, type Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../electron/dev-bridge/api-routes';
import type { ApiHandlers, CallContext } from '../../shared/api/contract';
import { AppError } from '../../shared/errors';

const calls: { op: string; input: unknown; ctx: CallContext }[] = [];

// A recording handler set for a few operations: the routes, not the ledger, are under test.
const someHandlers = {
  'app.info': (input, ctx) => {
    calls.push({ op: 'app.info', input, ctx });
    return { appVersion: 'test' } as never;
  },
  'worklist.facets': () => ({ townships: [], buckets: [] }),
  'worklist.list': (input, ctx) => {
    calls.push({ op: 'worklist.list', input, ctx });
    return { rows: [], total: 0, asOf: '2026-11-28' };
  },
  'case.get': () => {
    throw new AppError('not_found', 'No such case', { caseId: 'x' });
  },
  'contact.record': () => {
    throw new Error('database exploded with borrower 张三');
  },
} satisfies Partial<ApiHandlers>;
const handlers = someHandlers as unknown as ApiHandlers;

let server: Server;
let port: number;

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString('utf8')));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: data ? JSON.parse(data) : null }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void handleApiRequest(req, res, {
      handlers,
      callContext: () => ({ userId: 'u-officer' }),
    }).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('dev bridge API routes', () => {
  it('runs an operation with validated input, defaults filled, and the session user', async () => {
    const res = await post('/api/worklist.list', JSON.stringify({ village: '张湾村' }));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, value: { rows: [], total: 0, asOf: '2026-11-28' } });
    const call = calls.find((c) => c.op === 'worklist.list');
    expect(call?.input).toEqual({ village: '张湾村', groupBy: 'none', offset: 0, limit: 50 });
    expect(call?.ctx).toEqual({ userId: 'u-officer' });
  });

  it('refuses input the contract does not allow, naming the field', async () => {
    const res = await post('/api/worklist.list', JSON.stringify({ limit: 100000 }));
    expect(res.json).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', params: { field: 'limit' } },
    });
    const extra = await post('/api/worklist.list', JSON.stringify({ sql: 'drop table cases' }));
    expect(extra.json).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuses unknown operations and prototype names', async () => {
    for (const op of ['ledger.drop', 'constructor', '__proto__', 'toString']) {
      const res = await post(`/api/${op}`, '{}');
      expect(res.json).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
    }
  });

  it('passes domain errors through and hides unexpected ones', async () => {
    const notFound = await post('/api/case.get', JSON.stringify({ caseId: 'nope' }));
    expect(notFound.json).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No such case', params: { caseId: 'x' } },
    });
    const crash = await post(
      '/api/contact.record',
      JSON.stringify({ caseId: 'c1', channel: 'call', party: 'borrower', outcome: 'no_answer' }),
    );
    expect(crash.json).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Internal error', params: {} },
    });
    expect(JSON.stringify(crash.json)).not.toContain('张三');
  });

  it('refuses foreign hosts, cross-origin pages, bad JSON and oversized bodies', async () => {
    const rebinding = await post('/api/app.info', '{}', { host: 'evil.example:5190' });
    expect(rebinding.status).toBe(403);
    const crossOrigin = await post('/api/app.info', '{}', { origin: 'https://evil.example' });
    expect(crossOrigin.status).toBe(403);
    const sameOrigin = await post('/api/app.info', '{}', { origin: `http://127.0.0.1:${port}` });
    expect(sameOrigin.status).toBe(200);
    const badJson = await post('/api/app.info', '{not json');
    expect(badJson).toMatchObject({
      status: 400,
      json: { ok: false, error: { code: 'invalid_input' } },
    });
    const huge = await post('/api/app.info', JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
  });
});
