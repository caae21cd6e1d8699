// The sync client's transport (shared/node/node-http-fetch.ts) against a real server on
// 127.0.0.1: what fetch did for the client (status, headers, decoded bodies, TypeError on a
// failed request) it must still do, and a cut or damaged answer must never pass as whole.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttpFetch, nodeHttpFetch } from '../../shared/node/node-http-fetch';

const TEXT = JSON.stringify({
  items: Array.from({ length: 2000 }, (_, i) => ({ i, name: '吴秀英' })),
});
const BR = brotliCompressSync(Buffer.from(TEXT));

let server: http.Server;
let base: string;
const sockets = new Set<Socket>();
let connections = 0;
let received: { method: string; headers: http.IncomingHttpHeaders; body: Buffer } | null = null;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received = { method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      switch (req.url) {
        case '/br':
          res.writeHead(200, { 'content-encoding': 'br', 'content-length': BR.length });
          res.end(BR);
          return;
        case '/gzip': {
          const body = gzipSync(Buffer.from(TEXT));
          res.writeHead(201, { 'content-encoding': 'gzip', 'content-length': body.length });
          res.end(body);
          return;
        }
        case '/plain':
          res.writeHead(409, { 'content-type': 'application/json', 'x-extra': 'yes' });
          res.end('{"error":"conflict"}');
          return;
        case '/cut':
          // Half the promised bytes, then the connection goes away.
          res.writeHead(200, { 'content-encoding': 'br', 'content-length': BR.length });
          res.write(BR.subarray(0, BR.length >> 1), () => res.socket?.destroy());
          return;
        case '/damaged': {
          const bad = Buffer.from(BR);
          bad.fill(0x5a, 10, 40);
          res.writeHead(200, { 'content-encoding': 'br', 'content-length': bad.length });
          res.end(bad);
          return;
        }
        case '/odd':
          res.writeHead(200, { 'content-encoding': 'zstd', 'content-length': 3 });
          res.end('abc');
          return;
        default:
          res.writeHead(204);
          res.end();
      }
    });
  });
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('nodeHttpFetch', () => {
  it('decodes a brotli or gzip answer and keeps the status and the wire length', async () => {
    const br = await nodeHttpFetch(`${base}/br`, { headers: { 'accept-encoding': 'br' } });
    expect(br.status).toBe(200);
    expect(br.ok).toBe(true);
    expect(await br.text()).toBe(TEXT);
    // Content-Length is the compressed body's, as the server sent it (the client's byte
    // count); the encoding is gone, since the body handed on is decoded.
    expect(br.headers.get('content-length')).toBe(String(BR.length));
    expect(br.headers.get('content-encoding')).toBeNull();

    const gz = await nodeHttpFetch(new URL(`${base}/gzip`));
    expect(gz.status).toBe(201);
    expect(await gz.text()).toBe(TEXT);
  });

  it('passes an error answer through with its headers, and an empty one as empty', async () => {
    const res = await nodeHttpFetch(`${base}/plain`);
    expect(res.status).toBe(409);
    expect(res.ok).toBe(false);
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(await res.json()).toEqual({ error: 'conflict' });
    const empty = await nodeHttpFetch(`${base}/nothing`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('sends the method, headers and body with its length', async () => {
    const body = new Uint8Array(Buffer.from('{"mutations":[]}'));
    await nodeHttpFetch(`${base}/plain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fieldbook-user': 'u1' },
      body,
    });
    expect(received?.method).toBe('POST');
    expect(received?.headers['x-fieldbook-user']).toBe('u1');
    expect(received?.headers['content-length']).toBe(String(body.length));
    expect(received?.body.toString()).toBe('{"mutations":[]}');
  });

  it('keeps the connection for the next request', async () => {
    await (await nodeHttpFetch(`${base}/br`)).text();
    const before = connections;
    for (let i = 0; i < 3; i++) await (await nodeHttpFetch(`${base}/br`)).text();
    expect(connections).toBe(before);
  });

  it('rejects, as fetch does, an answer cut halfway, a damaged one and an unknown encoding', async () => {
    await expect(nodeHttpFetch(`${base}/cut`)).rejects.toThrow(TypeError);
    await expect(nodeHttpFetch(`${base}/damaged`)).rejects.toThrow(/fetch failed/);
    await expect(nodeHttpFetch(`${base}/odd`)).rejects.toThrow(/zstd/);
  });

  it('rejects a refused connection and an answer decoding to more than it accepts', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(nodeHttpFetch(`http://127.0.0.1:${port}/br`)).rejects.toThrow(
      /fetch failed: .*ECONNREFUSED/,
    );
    const small = createNodeHttpFetch({ maxBodyBytes: 1024 });
    await expect(small(`${base}/br`)).rejects.toThrow(/could not be decoded/);
  });

  it('sends a request once more when the kept-alive connection it left on was closed under it', async () => {
    // The server drops every connection at its second request, without an answer: what a
    // keep-alive timeout firing just as a request arrives looks like to the client.
    const seen = new WeakMap<Socket, number>();
    let answered = 0;
    const dropping = http.createServer((req, res) => {
      const socket = req.socket;
      const n = (seen.get(socket) ?? 0) + 1;
      seen.set(socket, n);
      if (n > 1) {
        socket.destroy();
        return;
      }
      answered++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(dropping.address() as AddressInfo).port}/`;
    try {
      expect(await (await nodeHttpFetch(url)).text()).toBe('ok');
      expect(await (await nodeHttpFetch(url, { method: 'POST', body: '{}' })).text()).toBe('ok');
      expect(answered).toBe(2);
    } finally {
      dropping.closeAllConnections();
      await new Promise<void>((resolve) => dropping.close(() => resolve()));
    }
    // A new connection closed under its first request is a failure, not a loop.
    const rude = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    try {
      await expect(
        nodeHttpFetch(`http://127.0.0.1:${(rude.address() as AddressInfo).port}/`),
      ).rejects.toThrow(/fetch failed: socket hang up/);
    } finally {
      await new Promise<void>((resolve) => rude.close(() => resolve()));
    }
  });

  it('gives up on a server that says nothing, and on an aborted request', async () => {
    const silent = http.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    try {
      await expect(createNodeHttpFetch({ idleTimeoutMs: 200 })(url)).rejects.toThrow(/no answer/);
      const abort = new AbortController();
      const pending = nodeHttpFetch(url, { signal: abort.signal });
      const reason = new Error('the user stopped the sync');
      abort.abort(reason);
      await expect(pending).rejects.toBe(reason);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
