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

/** One side of a paired comparison: a name and the environment variables it sets. */
export interface BenchVariant {
  name: string;
  env: Record<string, string>;
}

/** 'a:;b:X=1,Y=2' → variants a (nothing set) and b (X and Y set for its runs). */
export function parseVariants(spec: string): BenchVariant[] {
  return spec.split(';').map((v) => {
    const [name = '', settings = ''] = v.split(':');
    const env: Record<string, string> = {};
    for (const kv of settings.split(',').filter(Boolean)) {
      const [k = '', value = ''] = kv.split('=');
      env[k] = value;
    }
    return { name, env };
  });
}

/**
 * The variant of run `run` when variants alternate a b b a a b ...: each pair of rounds
 * gives every variant an early and a late turn, so a machine whose speed drifts favours none.
 */
export function variantOfRun<T>(list: readonly T[], run: number): T {
  const round = Math.floor(run / list.length);
  const at = run % list.length;
  return list[round % 2 === 0 ? at : list.length - 1 - at] as T;
}

/** Sets these environment variables; the function it returns puts back what they hid. */
export function setEnv(env: Record<string, string>): () => void {
  const before: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    before[k] = process.env[k];
    process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** Runs `fn` with these environment variables set, then puts the environment back. */
export async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const restore = setEnv(env);
  try {
    return await fn();
  } finally {
    restore();
  }
}
