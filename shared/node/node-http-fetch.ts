// The sync client's HTTP transport: node:http(s) with keep-alive, the answer read whole and
// decompressed in one call. fetch (undici) decodes a compressed answer through web streams,
// a thread-pool round trip and an event-loop turn per 16-64 KB chunk: a 3 MB page of a first
// sync took 21-43 ms from headers to text on this machine, and the first request of a process
// ~90 ms; read whole, then one brotliDecompressSync (~2 ms for 3 MB) and a UTF-8 decode,
// 10-13 ms and ~15 ms cold. Only what SyncHttpClient uses is supported: a URL, a method,
// headers, an optional body and signal. Failures reject with a TypeError, as fetch does.
import http from 'node:http';
import https from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export interface NodeHttpFetchOptions {
  /** Largest decompressed answer accepted (a first-sync page is ~3 MB). */
  maxBodyBytes?: number;
  /** A connection silent this long (no headers, no body bytes) is given up. */
  idleTimeoutMs?: number;
}

const DEFAULTS: Required<NodeHttpFetchOptions> = {
  maxBodyBytes: 256 * 1024 * 1024,
  // As undici's headers and body timeouts: the fault harness delays answers by seconds.
  idleTimeoutMs: 300_000,
};

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

function failed(detail: string, cause?: unknown): TypeError {
  return new TypeError(`fetch failed: ${detail}`, cause === undefined ? undefined : { cause });
}

/** The error of a request whose connection the server closed before answering. */
function isClosedUnder(err: Error): boolean {
  return (err as NodeJS.ErrnoException).code === 'ECONNRESET' || err.message === 'socket hang up';
}

function decode(encoding: string | undefined, body: Buffer, maxBodyBytes: number): Buffer {
  const options = { maxOutputLength: maxBodyBytes };
  switch ((encoding ?? '').trim().toLowerCase()) {
    case '':
    case 'identity':
      return body;
    case 'br':
      return brotliDecompressSync(body, options);
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body, options);
    case 'deflate':
      return inflateSync(body, options);
    default:
      throw failed(`the answer is encoded as '${encoding}', which this client does not read`);
  }
}

function requestHeaders(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function requestBody(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('nodeHttpFetch sends a string or bytes only');
}

/** The whole answer, decoded: the body is read to its end before anything is handed on. */
function readAnswer(res: http.IncomingMessage, maxBodyBytes: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    });
    res.on('error', (err) => reject(failed(`the answer was cut: ${err.message}`, err)));
    // 'close' without 'end': the connection went away mid-body.
    res.on('close', () => {
      if (!res.complete) reject(failed('the answer was cut'));
    });
    res.on('end', () => {
      try {
        const decoded = decode(
          res.headers['content-encoding'],
          Buffer.concat(chunks, received),
          maxBodyBytes,
        );
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          // The body handed on is decoded; Content-Length stays the wire's (onBytes).
          if (value === undefined || name === 'content-encoding') continue;
          if (Array.isArray(value)) for (const v of value) headers.append(name, v);
          else headers.set(name, value);
        }
        const status = res.statusCode ?? 0;
        const nullBody = status === 204 || status === 205 || status === 304;
        resolve(
          new Response(nullBody ? null : decoded, {
            status,
            statusText: res.statusMessage ?? '',
            headers,
          }),
        );
      } catch (err) {
        reject(err instanceof TypeError ? err : failed('the answer could not be decoded', err));
      }
    });
  });
}

/** A fetch for the sync client (see the head of this file). */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const { maxBodyBytes, idleTimeoutMs } = { ...DEFAULTS, ...options };
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      if (input instanceof Request) throw new TypeError('nodeHttpFetch takes a URL, not a Request');
      const url = new URL(String(input));
      const protocol = url.protocol as keyof typeof agents;
      const agent = agents[protocol];
      if (!agent) throw new TypeError(`nodeHttpFetch speaks http and https, not ${url.protocol}`);
      const body = requestBody(init?.body);
      const headers = requestHeaders(init);
      if (body) headers['content-length'] = String(body.length);
      const signal = init?.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const send = (mayRetry: boolean): void => {
        const req = (protocol === 'https:' ? https : http).request(url, {
          method: init?.method ?? 'GET',
          headers,
          agent,
        });
        let answered = false;
        const onAbort = () => req.destroy(signal?.reason as Error | undefined);
        signal?.addEventListener('abort', onAbort, { once: true });
        const settle = () => signal?.removeEventListener('abort', onAbort);
        req.setTimeout(idleTimeoutMs, () =>
          req.destroy(failed(`no answer for ${Math.round(idleTimeoutMs / 1000)} s`)),
        );
        req.on('error', (err) => {
          settle();
          if (signal?.aborted) {
            reject(signal.reason);
            return;
          }
          // A kept-alive socket the server closed just as this request left on it: once more,
          // on a new connection (a pull is a GET; a push repeated is answered from the stored
          // results, each mutation being applied once).
          if (mayRetry && !answered && req.reusedSocket && isClosedUnder(err)) {
            send(false);
            return;
          }
          reject(failed(err.message, err));
        });
        req.on('response', (res) => {
          answered = true;
          readAnswer(res, maxBodyBytes).then(
            (answer) => {
              settle();
              resolve(answer);
            },
            (err: unknown) => {
              settle();
              reject(err);
            },
          );
        });
        req.end(body);
      };
      send(true);
    });
}

export const nodeHttpFetch: typeof fetch = createNodeHttpFetch();
