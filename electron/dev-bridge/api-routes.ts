// The dev bridge's HTTP face of the API contract: POST /api/<operation> with a JSON
// body, answered with the same WireResult the Electron IPC channel returns. It only
// ever listens on 127.0.0.1 and refuses requests addressed to any other host name, so a
// web page elsewhere cannot reach the ledger through DNS rebinding.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dispatch } from '../../shared/api/dispatch';
import type { ApiHandlers, CallContext } from '../../shared/api/contract';
import type { WireResult } from '../../shared/errors';

const MAX_BODY_BYTES = 1024 * 1024;
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface ApiRouteOptions {
  handlers: ApiHandlers;
  callContext: () => CallContext;
}

export function hostName(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  const h = hostHeader.toLowerCase();
  return h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.split(':')[0]!;
}

function send(res: ServerResponse, status: number, body: WireResult<unknown>): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(json);
}

function fail(
  res: ServerResponse,
  status: number,
  code: 'forbidden' | 'invalid_input' | 'unknown_operation',
  message: string,
): void {
  send(res, status, { ok: false, error: { code, message, params: {} } });
}

export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    // Past the limit the rest is drained and dropped, so the client still gets a 413.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/** Returns true when the request was an API call and has been answered. */
export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: ApiRouteOptions,
): Promise<boolean> {
  const url = req.url ?? '';
  if (!url.startsWith('/api/')) return false;

  if (!LOOPBACK_HOSTS.has(hostName(req.headers.host))) {
    fail(res, 403, 'forbidden', 'The dev bridge only answers requests addressed to 127.0.0.1');
    return true;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !LOOPBACK_HOSTS.has(hostName(origin.replace(/^https?:\/\//, '')))) {
    fail(res, 403, 'forbidden', 'Cross-origin requests are refused');
    return true;
  }
  if (req.method !== 'POST') {
    fail(res, 405, 'invalid_input', 'Use POST with a JSON body');
    return true;
  }
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    fail(res, 415, 'invalid_input', 'The body must be application/json');
    return true;
  }
  const body = await readBody(req);
  if (body === null) {
    fail(res, 413, 'invalid_input', 'The request body is too large');
    return true;
  }
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body);
  } catch {
    fail(res, 400, 'invalid_input', 'The body is not valid JSON');
    return true;
  }
  const opName = decodeURIComponent(url.slice('/api/'.length).split('?')[0] ?? '');
  const result = await dispatch(options.handlers, opName, input, options.callContext());
  send(res, 200, result);
  return true;
}
