// Measuring aid for the server import benchmark (bench/import-write.ts): wraps a Database so
// that, inside its transactions, the time of every statement is summed by statement kind,
// and on PostgreSQL the CPU the transaction's backend process used is read from /proc
// (the server runs on this machine; utime + stime of the backend's pid). The wrapper only
// observes: every statement runs as the import issues it.
import { readFileSync } from 'node:fs';
import type { Database, Row, SqlParam, Transaction } from '../server/db/database';

export interface StatementTiming {
  label: string;
  calls: number;
  /** Wall time as the client saw it (includes waiting for this process's event loop). */
  ms: number;
  /** CPU the backend used while the statement ran (PostgreSQL on this machine), else null. */
  backendCpuMs: number | null;
}

export interface ImportProbe {
  db: Database;
  /** Backend CPU seconds used by the probed transactions (PostgreSQL on this machine), else null. */
  backendCpuSeconds(): number | null;
  statements(): StatementTiming[];
}

/**
 * CPU seconds (user + system) in a /proc stat file (a process's, or a thread's under
 * /proc/<pid>/task), or null when /proc does not show it.
 */
export function statCpuSeconds(statPath: string): number | null {
  try {
    const stat = readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5); here counted from field 3 (state).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const processCpu = (pid: number): number | null => statCpuSeconds(`/proc/${pid}/stat`);

/** A short name for a statement: its first words after any CTE names, e.g. 'insert into loan_snapshots'. */
function labelOf(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  const writes = [
    ...flat.matchAll(
      /\b(insert into|update|delete from|truncate|create temp table|select set_config|select pg_advisory_xact_lock)\s+(\w+)?/gi,
    ),
  ]
    .map((m) => `${m[1]!.toLowerCase()}${m[2] ? ` ${m[2]}` : ''}`)
    .filter((w) => !w.endsWith('import_changes'));
  const stages = flat.includes('import_changes') ? ' (+changes)' : '';
  return (writes.length > 0 ? writes.join(' + ') : flat.slice(0, 60)) + stages;
}

export interface ProbeOptions {
  /**
   * Run the nth call (1-based) of every kind of writing statement as EXPLAIN (ANALYZE, BUFFERS)
   * and print its plan (the statement still runs once, with its effects; the caller gets
   * no rows back from it, so the import's counts for that chunk are off: a diagnostic run).
   */
  explainCall?: number;
  /** Where plans go (default: stderr). */
  log?: (text: string) => void;
}

export function probeDatabase(inner: Database, options: ProbeOptions = {}): ImportProbe {
  const log = options.log ?? ((text: string) => process.stderr.write(`${text}\n`));
  const timings = new Map<string, StatementTiming>();
  let cpu = 0;
  let cpuKnown = inner.backend === 'postgres';
  const db: Database = {
    backend: inner.backend,
    query: (sql, params) => inner.query(sql, params),
    close: () => inner.close(),
    transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
      let pid: number | null = null;
      let cpuAtStart: number | null = null;
      return inner
        .transaction(async (tx) => {
          if (inner.backend === 'postgres') {
            const rows = await tx.query<{ pid: number }>('select pg_backend_pid() as pid');
            pid = rows[0]?.pid ?? null;
            cpuAtStart = pid === null ? null : processCpu(pid);
          }
          const timed: Transaction = {
            savepoint: (f) => tx.savepoint(f),
            async query<R extends object = Row>(sql: string, params?: readonly SqlParam[]) {
              const label = labelOf(sql);
              const explain =
                options.explainCall !== undefined &&
                (timings.get(label)?.calls ?? 0) + 1 === options.explainCall &&
                /^\s*(with|insert|update|delete)\b/i.test(sql);
              const started = performance.now();
              const cpuBefore = pid === null ? null : processCpu(pid);
              try {
                if (explain) {
                  const plan = await tx.query<Record<string, string>>(
                    `explain (analyze, buffers) ${sql}`,
                    params,
                  );
                  log(`\n-- ${label}\n${plan.map((r) => Object.values(r)[0]).join('\n')}`);
                  return [] as R[];
                }
                return await tx.query<R>(sql, params);
              } finally {
                const cpuAfter = pid === null ? null : processCpu(pid);
                const t = timings.get(label) ?? { label, calls: 0, ms: 0, backendCpuMs: 0 };
                t.calls++;
                t.ms += performance.now() - started;
                t.backendCpuMs =
                  t.backendCpuMs === null || cpuBefore === null || cpuAfter === null
                    ? null
                    : t.backendCpuMs + (cpuAfter - cpuBefore) * 1000;
                timings.set(label, t);
              }
            },
          };
          return fn(timed);
        })
        .finally(() => {
          // Read after COMMIT: the pooled connection (and its backend) is still alive.
          const end = pid === null ? null : processCpu(pid);
          if (end === null || cpuAtStart === null) cpuKnown = false;
          else cpu += end - cpuAtStart;
        });
    },
  };
  return {
    db,
    backendCpuSeconds: () => (cpuKnown ? Math.round(cpu * 100) / 100 : null),
    statements: () => [...timings.values()].sort((a, b) => b.ms - a.ms),
  };
}
