// A misbehaving link between devices and the server, on 127.0.0.1: from a seeded PRNG it
// drops connections before or after the server saw the request, cuts response bodies
// halfway, delays (which reorders concurrent requests) and sends requests twice. Bytes
// pass through untouched otherwise (compressed bodies stay compressed).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'none' | 'drop_request' | 'drop_response' | 'cut_body' | 'delay' | 'duplicate';

export interface FaultProxyOptions {
  target: string;
  random: () => number;
  /** Chance that a request meets some fault (default 0.35). */
  faultRate?: number;
  maxDelayMs?: number;
}

export interface FaultProxy {
  url: string;
  enabled: boolean;
  counts: Record<Fault, number>;
  close(): Promise<void>;
}

const FAULTS: Fault[] = ['drop_request', 'drop_response', 'cut_body', 'delay', 'duplicate'];

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function forward(target: URL, req: http.IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host };
    const up = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 502,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    up.on('error', reject);
    up.end(body);
  });
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const rate = options.faultRate ?? 0.35;
  const maxDelay = options.maxDelayMs ?? 40;
  const counts: Record<Fault, number> = {
    none: 0,
    drop_request: 0,
    drop_response: 0,
    cut_body: 0,
    delay: 0,
    duplicate: 0,
  };
  const proxy: FaultProxy = { url: '', enabled: true, counts, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fault: Fault =
        proxy.enabled && options.random() < rate
          ? (FAULTS[Math.floor(options.random() * FAULTS.length)] as Fault)
          : 'none';
      counts[fault]++;
      void (async () => {
        try {
          if (fault === 'drop_request') {
            req.socket.destroy();
            return;
          }
          if (fault === 'delay')
            await new Promise((r) => setTimeout(r, options.random() * maxDelay));
          let answer: Upstream;
          if (fault === 'duplicate') {
            const [a] = await Promise.all([forward(target, req, body), forward(target, req, body)]);
            answer = a;
          } else {
            answer = await forward(target, req, body);
          }
          if (fault === 'drop_response') {
            req.socket.destroy();
            return;
          }
          const headers = { ...answer.headers };
          delete headers['transfer-encoding'];
          headers['content-length'] = String(answer.body.length);
          res.writeHead(answer.status, headers);
          if (fault === 'cut_body' && answer.body.length > 1) {
            res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
            setTimeout(() => res.socket?.destroy(), 1);
            return;
          }
          res.end(answer.body);
        } catch {
          req.socket.destroy();
        }
      })();
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
