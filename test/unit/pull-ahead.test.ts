// PullAhead (electron/ledger/sync/pull-ahead.ts): the page after the one being applied is
// asked for as soon as an answer names its cursor, never more than one page ahead, and an
// answer asked for ahead is only ever used for the cursor it was asked for.
import { describe, expect, it } from 'vitest';
import { PullAhead, type FetchPage } from '../../electron/ledger/sync/pull-ahead';
import type { PullResponse } from '../../shared/sync/protocol';

/** A server of `pages` pages; each answer names the next cursor in its "headers". */
function fakeServer(pages: number, options: { header?: boolean } = {}) {
  const asked: string[] = [];
  const fetchPage: FetchPage = async (cursor, index, onNextCursor) => {
    const at = cursor === null ? 0 : Number(cursor.slice(1));
    asked.push(`${cursor ?? 'start'}#${index}`);
    await new Promise<void>((r) => setImmediate(r));
    const hasMore = at + 1 < pages;
    const answer: PullResponse = {
      items: [],
      cursor: `c${at + 1}`,
      hasMore,
      serverTime: '2026-11-29T00:00:00.000Z',
    };
    if (hasMore && options.header !== false) await onNextCursor(answer.cursor);
    return answer;
  };
  return { asked, fetchPage };
}

/** Reads every page as the sync engine does, with `work` standing in for each page's transaction. */
async function download(ahead: PullAhead, work: (page: number) => Promise<void> = async () => {}) {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page++) {
    const answer = await ahead.take(cursor, page);
    await ahead.after(answer, page);
    seen.push(answer.cursor);
    await work(page);
    cursor = answer.cursor;
    if (!answer.hasMore) return seen;
  }
}

describe('PullAhead', () => {
  it('asks for the next page when an answer names it, before that answer is handed on', async () => {
    const server = fakeServer(4);
    const ahead = new PullAhead(server.fetchPage);
    const order: string[] = [];
    const first = ahead.take(null, 0).then((a) => {
      order.push(`answer ${a.cursor}`);
      return a;
    });
    const answer = await first;
    order.push(`asked ${server.asked.join(' ')}`);
    // The request for page 1 left while page 0 was being read.
    expect(order).toEqual(['answer c1', 'asked start#0 c1#1']);
    await ahead.after(answer, 0);
    expect(server.asked).toEqual(['start#0', 'c1#1']);
  });

  it('reads every page once, in order, asking each page once', async () => {
    const server = fakeServer(6);
    const seen = await download(new PullAhead(server.fetchPage));
    expect(seen).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(server.asked).toEqual(['start#0', 'c1#1', 'c2#2', 'c3#3', 'c4#4', 'c5#5']);
  });

  it('stays one page ahead however fast the server answers and however slow the pages are', async () => {
    const server = fakeServer(8);
    const ahead = new PullAhead(server.fetchPage);
    const inFlight: number[] = [];
    await download(ahead, async (page) => {
      // A long page transaction: the server has long answered the page asked for ahead.
      for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
      inFlight.push(server.asked.length - (page + 1));
    });
    // Never more than the one page after the page being applied.
    expect(Math.max(...inFlight)).toBe(1);
    expect(server.asked).toHaveLength(8);
  });

  it('asks for the next page once an answer is read when the server does not name it', async () => {
    const server = fakeServer(4, { header: false });
    const ahead = new PullAhead(server.fetchPage);
    const answer = await ahead.take(null, 0);
    expect(server.asked).toEqual(['start#0']);
    await ahead.after(answer, 0);
    expect(server.asked).toEqual(['start#0', 'c1#1']);
    expect(await download(new PullAhead(fakeServer(4, { header: false }).fetchPage))).toEqual([
      'c1',
      'c2',
      'c3',
      'c4',
    ]);
  });

  it('uses an answer asked for ahead only for its own cursor, and none after clear()', async () => {
    const server = fakeServer(5);
    const ahead = new PullAhead(server.fetchPage);
    await ahead.take(null, 0); // asks for c1 ahead
    expect(server.asked).toEqual(['start#0', 'c1#1']);
    // A page for another cursor is a new request, not the answer kept for c1.
    const other = await ahead.take('c3', 3);
    expect(other.cursor).toBe('c4');
    expect(server.asked.slice(0, 3)).toEqual(['start#0', 'c1#1', 'c3#3']);
    ahead.clear();
    const asked = server.asked.length;
    // The answer kept for c1 is gone: c1 is asked again.
    await ahead.take('c1', 1);
    expect(server.asked[asked]).toBe('c1#1');
  });

  it('a request started before clear() asks for nothing ahead when it answers', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const asked: string[] = [];
    const ahead = new PullAhead(async (cursor, _index, onNextCursor) => {
      asked.push(cursor ?? 'start');
      if (cursor === null) await gate;
      await onNextCursor(`after-${cursor ?? 'start'}`);
      return { items: [], cursor: 'x', hasMore: true, serverTime: '2026-11-29T00:00:00.000Z' };
    });
    const stale = ahead.take(null, 0);
    ahead.clear();
    release();
    await stale;
    expect(asked).toEqual(['start']);
  });

  it('a failed page asked for ahead is no unhandled rejection, and fails where it is taken', async () => {
    const ahead = new PullAhead(async (cursor, _index, onNextCursor) => {
      if (cursor === 'c1') throw new TypeError('fetch failed');
      await onNextCursor('c1');
      return { items: [], cursor: 'c1', hasMore: true, serverTime: '2026-11-29T00:00:00.000Z' };
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const answer = await ahead.take(null, 0);
      await ahead.after(answer, 0);
      for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
      await expect(ahead.take('c1', 1)).rejects.toThrow('fetch failed');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
