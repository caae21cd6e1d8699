// Test-only controls for the Playwright e2e run, e.g. "try a call at 22:30 and see it
// refused": POST /__e2e/clock {"now": "2026-11-28T22:30:00+08:00"} makes the ledger's
// clock read that instant (and run on from it); {"now": null} puts the real clock back.
// The routes exist only when FIELDBOOK_E2E_HOOKS=1; otherwise /__e2e/* answers 404 like
// any path that does not exist. Loopback only, like the API routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { hostName, LOOPBACK_HOSTS, readBody } from './api-routes';

export const E2E_HOOKS_ENV = 'FIELDBOOK_E2E_HOOKS';
export const E2E_PATH_PREFIX = '/__e2e/';

export function e2eHooksEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[E2E_HOOKS_ENV] === '1';
}

export interface E2eHookOptions {
  enabled: boolean;
  /** Sets (instant) or resets (null) the ledger's clock; returns what the ledger now reads. */
  setClock(now: string | null): { now: string; today: string };
}

const clockBody = z.object({ now: z.union([z.null(), z.iso.datetime({ offset: true })]) }).strict();

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

/** Returns true when the request was for /__e2e/ and has been answered. */
export async function handleE2eHookRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: E2eHookOptions,
): Promise<boolean> {
  const url = (req.url ?? '').split('?')[0] ?? '';
  if (!url.startsWith(E2E_PATH_PREFIX)) return false;
  if (!options.enabled || url !== `${E2E_PATH_PREFIX}clock`) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not Found');
    return true;
  }
  if (!LOOPBACK_HOSTS.has(hostName(req.headers.host))) {
    json(res, 403, { ok: false, error: 'loopback only' });
    return true;
  }
  if (req.method !== 'POST') {
    json(res, 405, { ok: false, error: 'use POST' });
    return true;
  }
  const body = await readBody(req);
  let parsed: z.infer<typeof clockBody>;
  try {
    parsed = clockBody.parse(JSON.parse(body ?? ''));
  } catch {
    json(res, 400, {
      ok: false,
      error: 'expected {"now": "<ISO instant with offset>"} or {"now": null}',
    });
    return true;
  }
  json(res, 200, { ok: true, value: options.setClock(parsed.now) });
  return true;
}
