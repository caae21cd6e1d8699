// Hybrid logical clock stamps: '2026-11-28T07:30:00.000Z-0000-0123456789abcdef'
// (wall time, a 16-bit counter in hex, a 16-hex-digit node id). Fixed width, so two
// stamps compare correctly as plain strings; last-writer-wins per field uses that order.
import { z } from 'zod';

export type Hlc = string;

const HLC_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-([0-9a-f]{16})$/;
const MAX_COUNTER = 0xffff;

/** Node id the server uses for stamps it makes itself (admin actions, core banking). */
export const SERVER_HLC_NODE = 'ffffffffffffffff';

export const hlcSchema = z.string().regex(HLC_RE, 'expected a hybrid logical clock stamp');

export function isHlc(s: unknown): boolean {
  return typeof s === 'string' && HLC_RE.test(s);
}

export interface HlcParts {
  millis: number;
  counter: number;
  node: string;
}

export function parseHlc(stamp: string): HlcParts | null {
  const m = HLC_RE.exec(stamp);
  if (!m) return null;
  const millis = Date.parse(m[1] as string);
  if (Number.isNaN(millis)) return null;
  return { millis, counter: parseInt(m[2] as string, 16), node: m[3] as string };
}

export function formatHlc(parts: HlcParts): Hlc {
  if (!Number.isInteger(parts.counter) || parts.counter < 0 || parts.counter > MAX_COUNTER) {
    throw new RangeError(`HLC counter out of range: ${parts.counter}`);
  }
  if (!/^[0-9a-f]{16}$/.test(parts.node))
    throw new RangeError('HLC node must be 16 lowercase hex digits');
  return `${new Date(parts.millis).toISOString()}-${parts.counter.toString(16).padStart(4, '0')}-${parts.node}`;
}

/** Negative when a is older than b. Null (never written) is older than any stamp. */
export function compareHlc(a: Hlc | null | undefined, b: Hlc | null | undefined): number {
  if (a === b) return 0;
  if (a == null) return -1;
  if (b == null) return 1;
  return a < b ? -1 : 1;
}

/**
 * A stamp later than both `previous` and the wall clock. The server uses it for its own
 * writes so that an explicit head-office action always beats whatever is stored, even a
 * stamp from a device whose clock runs ahead.
 */
export function stampAfter(
  previous: Hlc | null | undefined,
  nowMillis: number,
  node = SERVER_HLC_NODE,
): Hlc {
  const prev = previous ? parseHlc(previous) : null;
  if (!prev || nowMillis > prev.millis) return formatHlc({ millis: nowMillis, counter: 0, node });
  if (prev.counter < MAX_COUNTER)
    return formatHlc({ millis: prev.millis, counter: prev.counter + 1, node });
  return formatHlc({ millis: prev.millis + 1, counter: 0, node });
}

/**
 * A device's clock: `send` stamps a local change, `receive` merges a stamp seen from
 * another node so that later local stamps sort after it. State changes only through
 * these two methods; callers persist `current()` in the same transaction as the change.
 */
export class HybridLogicalClock {
  private millis: number;
  private counter: number;
  readonly node: string;

  constructor(node: string, last: Hlc | null = null) {
    if (!/^[0-9a-f]{16}$/.test(node))
      throw new RangeError('HLC node must be 16 lowercase hex digits');
    this.node = node;
    const parsed = last ? parseHlc(last) : null;
    this.millis = parsed?.millis ?? 0;
    this.counter = parsed?.counter ?? 0;
  }

  current(): Hlc {
    return formatHlc({ millis: this.millis, counter: this.counter, node: this.node });
  }

  send(nowMillis: number): Hlc {
    if (nowMillis > this.millis) {
      this.millis = nowMillis;
      this.counter = 0;
    } else {
      this.bumpCounter();
    }
    return this.current();
  }

  receive(remote: Hlc, nowMillis: number): Hlc {
    const r = parseHlc(remote);
    if (!r) throw new RangeError(`Not an HLC stamp: ${remote}`);
    const top = Math.max(this.millis, r.millis, nowMillis);
    if (top === this.millis && top === r.millis) {
      this.counter = Math.max(this.counter, r.counter);
      this.bumpCounter();
    } else if (top === this.millis) {
      this.bumpCounter();
    } else if (top === r.millis) {
      this.millis = top;
      this.counter = r.counter;
      this.bumpCounter();
    } else {
      this.millis = top;
      this.counter = 0;
    }
    return this.current();
  }

  private bumpCounter(): void {
    if (this.counter < MAX_COUNTER) {
      this.counter += 1;
    } else {
      // 65,536 stamps within one millisecond: move logical time on rather than fail.
      this.millis += 1;
      this.counter = 0;
    }
  }
}
