// Shared pieces of `npm run bench`: a section is a named group of measurements; each
// measurement is a list of samples (ms) reported as median and p95 next to its target.
// Figures are printed, never asserted: wall time on a shared machine is not a test.

import fs from 'node:fs';
import path from 'node:path';

export interface Measurement {
  label: string;
  samplesMs: number[];
  /** What the figure should stay under, when the project set a target. */
  target?: { stat: 'median' | 'p95'; ms: number };
}

export interface BenchSection {
  name: string;
  description: string;
  run(): Promise<Measurement[]>;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

export function summarise(samples: readonly number[]): { median: number; p95: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), n: sorted.length };
}

/**
 * Runs `fn` `warmup` times unmeasured, then `iterations` times measured. `before`, when
 * given, runs ahead of each call outside the measurement (e.g. what the user does first).
 */
export async function sample(
  iterations: number,
  warmup: number,
  fn: (i: number) => unknown,
  before?: (i: number) => unknown,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) {
    await before?.(i);
    await fn(i);
  }
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    await before?.(warmup + i);
    const t0 = performance.now();
    await fn(warmup + i);
    out.push(performance.now() - t0);
  }
  return out;
}

function ms(x: number): string {
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
}

export function formatMeasurement(m: Measurement): string {
  const s = summarise(m.samplesMs);
  let line = `  ${m.label.padEnd(58)} median ${ms(s.median).padStart(9)}   p95 ${ms(s.p95).padStart(9)}   (n=${s.n})`;
  if (m.target) {
    const value = m.target.stat === 'median' ? s.median : s.p95;
    const verdict = value < m.target.ms ? 'within target' : 'OVER TARGET';
    line += `   target ${m.target.stat} < ${m.target.ms} ms: ${verdict}`;
  }
  return line;
}

/**
 * Starts a V8 CPU profile of this process (sampled every `intervalUs` µs); stop() writes it
 * to `file` (open it in chrome://inspect, DevTools or speedscope).
 */
export async function startCpuProfile(
  intervalUs = 200,
): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return {
    stop: async (file) => {
      const { profile } = await session.post('Profiler.stop');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
