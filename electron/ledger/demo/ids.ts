// Deterministic UUIDv7 strings for demo rows: the 48-bit time field is the row's own
// instant (so ids sort by when the thing happened, as real v7 ids do) and the random
// bits come from the seeded PRNG.
import type { Prng } from './prng';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function demoUuidV7(ms: number, prng: Prng): string {
  const bytes = new Uint8Array(16);
  let t = Math.max(0, Math.floor(ms));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  const r1 = prng.uint32();
  const r2 = prng.uint32();
  const r3 = prng.uint32();
  bytes[6] = 0x70 | ((r1 >>> 24) & 0x0f);
  bytes[7] = (r1 >>> 16) & 0xff;
  bytes[8] = 0x80 | ((r1 >>> 8) & 0x3f);
  bytes[9] = r1 & 0xff;
  for (let i = 0; i < 4; i++) {
    bytes[10 + i] = (r2 >>> (24 - 8 * i)) & 0xff;
  }
  bytes[14] = (r3 >>> 8) & 0xff;
  bytes[15] = r3 & 0xff;
  const x = (i: number): string => HEX[bytes[i] as number] as string;
  return (
    x(0) +
    x(1) +
    x(2) +
    x(3) +
    '-' +
    x(4) +
    x(5) +
    '-' +
    x(6) +
    x(7) +
    '-' +
    x(8) +
    x(9) +
    '-' +
    x(10) +
    x(11) +
    x(12) +
    x(13) +
    x(14) +
    x(15)
  );
}
