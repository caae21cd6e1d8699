// Runs kill-child.ts on a device's ledger folder and SIGKILLs it (its whole process group)
// the moment it announces the point of interest: after the server answered a push, or
// inside the transaction applying a pull page. Resolves with the child's output.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface KillTarget {
  dir: string;
  key: Buffer;
  username: string;
  password: string;
  /** Server address for the child, bypassing any proxy in the ledger's settings. */
  serverUrl?: string;
}

export function runChildUntilKill(target: KillTarget, mode: 'push' | 'pull'): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, 'kill-child.ts'),
        target.dir,
        target.key.toString('hex'),
        mode,
      ],
      {
        env: {
          ...process.env,
          FB_LOGIN: target.username,
          FB_PASSWORD: target.password,
          ...(target.serverUrl && { FB_SERVER_URL: target.serverUrl }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so the kill takes every process it started.
        detached: true,
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('KILL-ME') && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(out);
      else reject(new Error(`child ended without being killed: ${out} ${err}`));
    });
  });
}
