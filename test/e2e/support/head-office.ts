// A real head office for the enrolled e2e: `npm run server` (server/main.ts) on PGlite in a
// temp folder, set up and changed with the admin CLI (the CLI needs the server stopped, as
// PGlite is one process's database), reached through a "slow link" on 127.0.0.1 that can
// hold the change feed's pages back — so the first download's progress stays on screen
// long enough to be seen — and that drops the connection when the server is down, as a
// dead network does.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Playwright runs from the repository root (both configs live there).
const ROOT = process.cwd();
// Node itself with tsx's loader, not the tsx wrapper: signals then reach the server, and a
// killed run leaves no orphan holding the port.
const NODE_TS = [process.execPath, ['--import', 'tsx']] as const;
/** The sync server's warnings and errors, for when the spec fails (a gitignored artifact). */
export const SERVER_LOG = join(ROOT, 'test-results', 'enrolled-sync-server.log');

export interface HeadOffice {
  dir: string;
  /** What the laptop is told to connect to (the slow link in front of the server). */
  url: string;
  provisioningFile: string;
  enrolmentCode: string;
  /** Milliseconds each change-feed page is held back (0: none). */
  setPullDelay(ms: number): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** `npm run admin -- …` (the server must be stopped). */
  admin(...args: string[]): Promise<string>;
  close(): Promise<void>;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE_TS[0], [...NODE_TS[1], ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${args.join(' ')} exited ${code}:\n${out}${err}`)),
    );
  });
}

/** True when a Fieldbook sync server answers /health on the port. */
async function answers(port: number): Promise<boolean> {
  try {
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    const body = (await health.json()) as { status?: unknown };
    return health.ok && body.status === 'ok';
  } catch {
    return false;
  }
}

/** Starts server/main.ts and waits until /health answers (at most 2 minutes: PGlite starts slowly under load). */
async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  // Someone else's process on the port would answer in its place.
  if (await answers(port)) throw new Error(`127.0.0.1:${port} is already in use`);
  const child = spawn(NODE_TS[0], [...NODE_TS[1], 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let logs = '';
  const keep = (d: Buffer) => {
    logs = (logs + d.toString()).slice(-20_000);
    appendFileSync(SERVER_LOG, d);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the sync server exited with ${child.exitCode}:\n${logs}`);
    if (await answers(port)) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`the sync server did not start:\n${logs}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Forwards to the server; holds pull answers back by `delay()`; drops the socket when the server is down. */
function slowLink(target: number, delay: () => number): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = http.request(
        {
          host: '127.0.0.1',
          port: target,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            const wait = (req.url ?? '').startsWith('/v1/sync/pull') ? delay() : 0;
            setTimeout(() => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(body));
            }, wait);
          });
        },
      );
      // Server down: the laptop sees what a dead network looks like, not an HTTP answer.
      up.on('error', () => req.socket.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
}

export async function openHeadOffice(options: {
  serverPort: number;
  linkPort: number;
}): Promise<HeadOffice> {
  const dir = mkdtempSync(join(tmpdir(), 'fieldbook-e2e-head-office-'));
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  rmSync(SERVER_LOG, { force: true });
  const url = `http://127.0.0.1:${options.linkPort}`;
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: '',
    FIELDBOOK_SERVER_DATA: join(dir, 'data'),
    FIELDBOOK_PROVISIONING_KEY: join(dir, 'provisioning-ed25519.pem'),
    FIELDBOOK_RELEASES_DIR: join(dir, 'releases'),
    HOST: '127.0.0.1',
    PORT: String(options.serverPort),
    LOG_LEVEL: 'warn',
  };
  const provisioningFile = join(dir, 'fieldbook-provisioning.json');
  const out = await run(['test/e2e/support/head-office-setup.ts', url, provisioningFile], env);
  const { enrolmentCode } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
    enrolmentCode: string;
  };
  let pullDelay = 0;
  const link = slowLink(options.serverPort, () => pullDelay);
  await new Promise<void>((resolve) => link.listen(options.linkPort, '127.0.0.1', resolve));
  let server: ChildProcess | null = null;
  return {
    dir,
    url,
    provisioningFile,
    enrolmentCode,
    setPullDelay: (ms) => {
      pullDelay = ms;
    },
    async start() {
      server ??= await startServer(env, options.serverPort);
    },
    async stop() {
      if (server) await stopProcess(server);
      server = null;
    },
    admin: (...args) => run(['server/cli/admin.ts', ...args], env),
    async close() {
      if (server) await stopProcess(server);
      server = null;
      link.closeAllConnections();
      await new Promise<void>((resolve) => link.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
