// The pull page after the one being applied is asked for ahead, so that the server builds
// and compresses it while the device reads and writes the page it has. A server that names
// the next cursor in a header (HEADER_NEXT_CURSOR) lets the request leave as soon as an
// answer's headers arrive, before its body is decoded, parsed and checked (~25-35 ms a
// 5,500-item page); otherwise it leaves once the answer is read. At most one page waits
// ahead of the loop, however fast the server answers, so a large download never piles up
// in memory. A page asked for ahead is used only for the cursor it was asked for; if the
// page before it fails, it is dropped and nothing is lost (a cursor is stored only with
// its page, after the page commits).
import type { PullResponse } from '../../../shared/sync/protocol';

/** Asks the server for one page; `onNextCursor` runs when the answer names the next cursor. */
export type FetchPage = (
  cursor: string | null,
  index: number,
  onNextCursor: (next: string) => Promise<void>,
) => Promise<PullResponse>;

/**
 * Lets a request just started leave the process. The HTTP client writes it to the socket
 * only after a turn of the event loop or more (fetch took several; nodeHttpFetch a tick to
 * be handed its kept-alive socket), and the page transaction that follows holds the loop
 * for 100-200 ms: without this the "prefetched" page was requested only after the current
 * one had been applied, and the device waited ~130 ms for every page instead of ~45 ms.
 */
export async function letRequestLeave(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await new Promise<void>((r) => setImmediate(r));
}

export class PullAhead {
  /** Answers asked for ahead, by the cursor they were asked for ('' for none). */
  private readonly waiting = new Map<string, Promise<PullResponse>>();
  /** Moves on at clear(): a request started before it asks for nothing ahead after it. */
  private generation = 0;

  constructor(private readonly fetchPage: FetchPage) {}

  /** The answer for page `index` at `cursor`: the one asked for ahead, or a new request. */
  take(cursor: string | null, index: number): Promise<PullResponse> {
    const key = cursor ?? '';
    const ahead = this.waiting.get(key);
    this.waiting.delete(key);
    return ahead ?? this.request(cursor, index);
  }

  /** After page `index` was read: asks for the next one unless its headers already did. */
  async after(answer: PullResponse, index: number): Promise<void> {
    if (!answer.hasMore || this.waiting.has(answer.cursor)) return;
    this.start(answer.cursor, index + 1);
    await letRequestLeave();
  }

  /** Drops whatever was asked for ahead (a failed page, a download started again). */
  clear(): void {
    this.waiting.clear();
    this.generation++;
  }

  private request(cursor: string | null, index: number): Promise<PullResponse> {
    const generation = this.generation;
    return this.fetchPage(cursor, index, async (next) => {
      if (generation !== this.generation || this.waiting.size > 0) return;
      this.start(next, index + 1);
      await letRequestLeave();
    });
  }

  private start(cursor: string, index: number): void {
    const answer = this.request(cursor, index);
    // Awaited later, or never if it is dropped: a failure must not be an unhandled rejection.
    answer.catch(() => {});
    this.waiting.set(cursor, answer);
  }
}
