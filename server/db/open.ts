// Picks the engine: a real PostgreSQL server when DATABASE_URL is set, otherwise PGlite
// in a data folder. PGlite is one process's database: a lock file beside the folder keeps
// a second process (the admin CLI while the server runs) from opening it at the same time.
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Database } from './database';
import { openPgDatabase } from './pg-database';
import { openPgliteDatabase } from './pglite-database';

export const DEFAULT_DATA_DIR = '.data/server';

export interface DatabaseLocation {
  databaseUrl?: string;
  dataDir: string;
}

export function databaseLocationFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseLocation {
  const url = env.DATABASE_URL?.trim();
  return {
    ...(url ? { databaseUrl: url } : {}),
    dataDir: resolve(env.FIELDBOOK_SERVER_DATA?.trim() || DEFAULT_DATA_DIR),
  };
}

export function describeLocation(location: DatabaseLocation): string {
  if (location.databaseUrl) {
    try {
      const u = new URL(location.databaseUrl);
      return `PostgreSQL at ${u.hostname}:${u.port || '5432'}${u.pathname}`;
    } catch {
      return 'PostgreSQL (DATABASE_URL)';
    }
  }
  return `embedded PostgreSQL (PGlite) in ${location.dataDir}`;
}

export class DataFolderBusyError extends Error {
  constructor(lockPath: string, pid: number) {
    super(
      `The data folder is in use by process ${pid} (lock ${lockPath}). PGlite allows one process at a time: ` +
        'stop the server first, or run server and CLI against PostgreSQL (DATABASE_URL).',
    );
    this.name = 'DataFolderBusyError';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file, or throws DataFolderBusyError while a live process holds it. Returns the release function. */
export function takeDataFolderLock(lockPath: string): () => void {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new DataFolderBusyError(lockPath, pid);
      }
      rmSync(lockPath, { force: true }); // left by a process that died
    }
  }
  throw new Error(`could not take the lock ${lockPath}`);
}

export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if (location.databaseUrl) return openPgDatabase({ connectionString: location.databaseUrl });
  const release = takeDataFolderLock(`${location.dataDir}.lock`);
  try {
    mkdirSync(location.dataDir, { recursive: true });
    const db = await openPgliteDatabase({ dataDir: location.dataDir });
    return {
      ...db,
      async close() {
        try {
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
