// `npm run server` and `npm run admin` as an operator runs them: the server starts on
// PGlite in a data folder (or on PostgreSQL with DATABASE_URL), migrates, answers
// /health, stops cleanly on SIGTERM; the CLI refuses a PGlite folder the server holds.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

function startServer(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; logs: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    });
    let logs = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs}`)), 90_000);
    const onData = (d: Buffer) => {
      logs += d.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(logs);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string, logs: () => logs });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('server process on PGlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fieldbook-server-'));
  const data = join(dir, 'data');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts in a data folder, keeps the CLI out while running, stops on SIGTERM', async () => {
    const env = { FIELDBOOK_SERVER_DATA: data, DATABASE_URL: '' };
    const server = await startServer(env);
    try {
      expect(server.logs()).toMatch(/embedded PostgreSQL \(PGlite\)/);
      const health = await fetch(`${server.url}/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'pglite' });
      const busy = await run(['server/cli/admin.ts', 'list-devices'], env);
      expect(busy.code).toBe(1);
      expect(busy.err).toMatch(/in use by process \d+.*stop the server first/s);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
    expect(existsSync(`${data}.lock`)).toBe(false);
    const created = await run(
      ['server/cli/admin.ts', 'create-branch', '--code', 'GZ01', '--name', 'Tianhe'],
      env,
    );
    expect(created).toMatchObject({ code: 0, out: expect.stringMatching(/Created branch GZ01/) });
  }, 180_000);
});

const url = process.env.DATABASE_URL?.trim();
if (!url)
  console.info(
    'server process on PostgreSQL: skipped because DATABASE_URL is not set (see docs/SERVER.md)',
  );
describe.runIf(!!url)('server process on PostgreSQL', () => {
  const schema = `t_proc_${process.pid}`;
  const scoped = () => {
    const u = new URL(url as string);
    u.searchParams.set('options', `-c search_path=${schema}`);
    return u.toString();
  };
  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  it('starts on DATABASE_URL and shares the database with the CLI', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema if not exists ${schema}`);
    await client.end();
    const env = { DATABASE_URL: scoped() };
    const server = await startServer(env);
    try {
      expect(server.logs()).toMatch(/PostgreSQL at 127\.0\.0\.1:5432/);
      expect(await (await fetch(`${server.url}/health`)).json()).toMatchObject({
        status: 'ok',
        database: 'postgres',
      });
      const created = await run(
        ['server/cli/admin.ts', 'create-branch', '--code', 'GZ01', '--name', 'Tianhe'],
        env,
      );
      expect(created.code).toBe(0);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  }, 120_000);
});
