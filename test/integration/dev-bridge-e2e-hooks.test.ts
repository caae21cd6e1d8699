// The dev bridge's test-only clock hook: with FIELDBOOK_E2E_HOOKS=1 the e2e run can set
// the ledger's clock to 22:30 and see a call refused, then put the clock back; without
// it, /__e2e/ does not exist.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../electron/dev-bridge/api-routes';
import { e2eClockControl } from '../../electron/dev-bridge/bridge-ledger';
import { e2eHooksEnabled, handleE2eHookRequest } from '../../electron/dev-bridge/e2e-hooks';
import type { CaseLedger } from '../../electron/ledger/index';
import { IDS, movableClock, openFixtureLedger } from './ledger-fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

interface Reply {
  status: number;
  body: string;
}

async function serve(ledger: CaseLedger, enabled: boolean): Promise<number> {
  const server: Server = createServer((req, res) => {
    void handleE2eHookRequest(req, res, { enabled, setClock: e2eClockControl(ledger) })
      .then(
        (hooked) =>
          hooked ||
          handleApiRequest(req, res, {
            handlers: ledger.handlers,
            callContext: () => ({ userId: ledger.currentUserId }),
          }),
      )
      .then((handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end();
        }
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

function send(port: number, method: string, path: string, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: { 'content-type': 'application/json' } },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const callCheck = { caseId: IDS.caseLate, channel: 'call', party: 'borrower' };

describe('dev bridge e2e clock hook', () => {
  it('sets the ledger clock to 22:30 so a call is refused, and puts it back', async () => {
    const ledger = openFixtureLedger(movableClock('2026-11-28T10:00:00+08:00'), cleanups);
    const port = await serve(ledger, true);

    const set = await send(port, 'POST', '/__e2e/clock', { now: '2026-11-28T22:30:00+08:00' });
    expect(set.status).toBe(200);
    expect(JSON.parse(set.body)).toMatchObject({
      ok: true,
      value: { today: '2026-11-28', now: expect.stringMatching(/^2026-11-28T14:30:0/) as string },
    });
    const check = JSON.parse((await send(port, 'POST', '/api/contact.check', callCheck)).body) as {
      value: { allowed: boolean; violations: { code: string }[] };
    };
    expect(check.value.allowed).toBe(false);
    expect(check.value.violations.map((v) => v.code)).toEqual(['outside_contact_hours']);
    const refused = JSON.parse(
      (await send(port, 'POST', '/api/contact.record', { ...callCheck, outcome: 'no_answer' }))
        .body,
    ) as { ok: boolean; error: { code: string; params: Record<string, unknown> } };
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        params: { rule: 'outside_contact_hours', nextAllowedTime: '08:00' },
      },
    });

    const reset = await send(port, 'POST', '/__e2e/clock', { now: null });
    expect(JSON.parse(reset.body)).toMatchObject({
      ok: true,
      value: { now: '2026-11-28T02:00:00.000Z', today: '2026-11-28' },
    });
    const after = JSON.parse((await send(port, 'POST', '/api/contact.check', callCheck)).body) as {
      value: { allowed: boolean };
    };
    expect(after.value.allowed).toBe(true);
  });

  it('moves the business date with the clock', async () => {
    const ledger = openFixtureLedger(movableClock('2026-11-28T10:00:00+08:00'), cleanups);
    const port = await serve(ledger, true);
    const set = await send(port, 'POST', '/__e2e/clock', { now: '2026-12-02T09:00:00+08:00' });
    expect(JSON.parse(set.body)).toMatchObject({ value: { today: '2026-12-02' } });
    const info = JSON.parse((await send(port, 'POST', '/api/app.info', {})).body) as {
      value: { today: string };
    };
    expect(info.value.today).toBe('2026-12-02');
  });

  it('refuses a malformed body or method', async () => {
    const ledger = openFixtureLedger(movableClock(), cleanups);
    const port = await serve(ledger, true);
    expect((await send(port, 'POST', '/__e2e/clock', { now: '22:30' })).status).toBe(400);
    expect((await send(port, 'POST', '/__e2e/clock', { now: '2026-11-28T22:30:00' })).status).toBe(
      400,
    );
    expect((await send(port, 'POST', '/__e2e/clock', { now: null, extra: 1 })).status).toBe(400);
    expect((await send(port, 'GET', '/__e2e/clock')).status).toBe(405);
    expect((await send(port, 'POST', '/__e2e/other', {})).status).toBe(404);
  });

  it('does not exist unless FIELDBOOK_E2E_HOOKS=1', async () => {
    expect(e2eHooksEnabled({})).toBe(false);
    expect(e2eHooksEnabled({ FIELDBOOK_E2E_HOOKS: 'true' })).toBe(false);
    expect(e2eHooksEnabled({ FIELDBOOK_E2E_HOOKS: '1' })).toBe(true);
    const ledger = openFixtureLedger(movableClock('2026-11-28T10:00:00+08:00'), cleanups);
    const port = await serve(ledger, false);
    const res = await send(port, 'POST', '/__e2e/clock', { now: '2026-11-28T22:30:00+08:00' });
    expect(res.status).toBe(404);
    const check = JSON.parse((await send(port, 'POST', '/api/contact.check', callCheck)).body) as {
      value: { allowed: boolean };
    };
    expect(check.value.allowed).toBe(true);
  });
});
