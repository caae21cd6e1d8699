// A pull answer with more to come names its cursor in a header (HEADER_NEXT_CURSOR) as
// well as in its body, so that the device asks for the next page before it has read this
// one (pull-ahead.ts). A server that does not send the header is read as before.
import { describe, expect, it } from 'vitest';
import { nodeHttpFetch } from '../../shared/node/node-http-fetch';
import { HEADER_NEXT_CURSOR } from '../../shared/sync/protocol';
import type { World } from '../server/helpers/world';
import { makeDevice, useSyncWorld, type TestDevice } from './helpers';

let world: World;
const { keep } = useSyncWorld((w) => (world = w));

interface Traced {
  /** 'ask <cursor>' when a pull request leaves, 'read <cursor>' when its body is read. */
  events: string[];
  /** The header and the body's cursor of every answer with more to come. */
  named: { header: string | null; body: string }[];
}

/** An answer that tells when its body is read. */
function tracedResponse(body: string, init: ResponseInit, onRead: () => void): Response {
  const res = new Response(body, init);
  const text = res.text.bind(res);
  Object.defineProperty(res, 'text', {
    value: async () => {
      onRead();
      return text();
    },
  });
  return res;
}

/** A fetch that traces pull requests; `stripHeader` plays a server without the header. */
function tracingFetch(trace: Traced, stripHeader: boolean): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    if (url.pathname !== '/v1/sync/pull') return nodeHttpFetch(input, init);
    const asked = url.searchParams.get('cursor') ?? 'start';
    trace.events.push(`ask ${asked}`);
    const res = await nodeHttpFetch(input, init);
    const header = res.headers.get(HEADER_NEXT_CURSOR);
    const headers = new Headers(res.headers);
    if (stripHeader) headers.delete(HEADER_NEXT_CURSOR);
    const body = await res.text();
    // Read as the client reads it: the trace notes when, and what the page named.
    return tracedResponse(body, { status: res.status, headers }, () => {
      trace.events.push(`read ${asked}`);
      const page = JSON.parse(body) as { cursor: string; hasMore: boolean };
      if (page.hasMore) trace.named.push({ header, body: page.cursor });
    });
  };
}

function held(device: TestDevice): unknown {
  return device.db
    .prepare(
      `SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM facts),
              (SELECT count(*) FROM loans), (SELECT count(*) FROM contact_points)`,
    )
    .raw()
    .get();
}

describe('the next cursor in a pull answer header', () => {
  it('lets the next request leave before the answer is read, and a server without it is read as before', async () => {
    const early: Traced = { events: [], named: [] };
    const withHeader = keep(
      await makeDevice(world, 'next-cursor-header', world.users.managerA, {
        pullLimit: 7,
        fetch: tracingFetch(early, false),
      }),
    );
    await withHeader.engine.sync();

    // The server names the same cursor in the header as in the body, on every such page.
    expect(early.named.length).toBeGreaterThanOrEqual(3);
    for (const { header, body } of early.named) expect(header).toBe(body);
    // Each next page was asked for before the page naming it was read.
    for (const { body } of early.named)
      expect(early.events.indexOf(`ask ${body}`)).toBeLessThan(
        early.events.indexOf(`read ${previousCursor(early, body)}`),
      );
    // Every page asked for once.
    const asks = early.events.filter((e) => e.startsWith('ask '));
    expect(new Set(asks).size).toBe(asks.length);

    const late: Traced = { events: [], named: [] };
    const without = keep(
      await makeDevice(world, 'next-cursor-none', world.users.managerA, {
        pullLimit: 7,
        fetch: tracingFetch(late, true),
      }),
    );
    await without.engine.sync();
    // Without the header a next page is asked for only after the page naming it was read.
    expect(late.named.length).toBe(early.named.length);
    for (const { body } of late.named)
      expect(late.events.indexOf(`ask ${body}`)).toBeGreaterThan(
        late.events.indexOf(`read ${previousCursor(late, body)}`),
      );
    expect(held(without)).toEqual(held(withHeader));
    expect((held(withHeader) as number[])[0]).toBeGreaterThan(0);
  }, 60_000);
});

/** The cursor of the request whose answer named `cursor` ('start' for the first). */
function previousCursor(trace: Traced, cursor: string): string {
  const at = trace.named.findIndex((n) => n.body === cursor);
  return at <= 0 ? 'start' : (trace.named[at - 1] as { body: string }).body;
}
