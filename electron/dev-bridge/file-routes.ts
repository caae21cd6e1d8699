// The dev bridge's stand-in for Electron's file dialogs. A page in a plain browser cannot
// hand the ledger a path, so:
//   POST /__files/upload?name=<file name>   raw body → saved under <data>/uploads, answers { path, name }
//   POST /__files/reserve  { name }         answers { path, name } under <data>/exports for an export to write
//   GET  /__files/download?path=<path>      sends a file written under <data>/exports as a download
// Loopback only, like the API; downloads never leave the exports folder.
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { v7 as uuidv7 } from 'uuid';
import { safeFileName, type PickedFile } from '../../shared/api/file-host';
import { hostName, LOOPBACK_HOSTS, readBody } from './api-routes';

/** Big enough for a 100k-row core banking export. */
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export interface FileRoutes {
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

export function createFileRoutes(dataDir: string): FileRoutes {
  const uploads = resolve(dataDir, 'uploads');
  const exports = resolve(dataDir, 'exports');
  // Files handed over in an earlier run are not kept: they may hold borrower data.
  rmSync(uploads, { recursive: true, force: true });
  rmSync(exports, { recursive: true, force: true });

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = safeFileName(url.searchParams.get('name') ?? 'upload');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_UPLOAD_BYTES) {
      json(res, 413, { error: 'too_large' });
      req.resume();
      return;
    }
    const dir = join(uploads, uuidv7());
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_UPLOAD_BYTES) req.destroy(new Error('upload too large'));
    });
    await pipeline(req, createWriteStream(path));
    json(res, 200, { path, name } satisfies PickedFile);
  }

  async function reserve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    let name = 'export';
    try {
      const parsed = JSON.parse(body ?? '{}') as { name?: unknown };
      if (typeof parsed.name === 'string') name = parsed.name;
    } catch {
      json(res, 400, { error: 'bad_json' });
      return;
    }
    const dir = join(exports, uuidv7());
    mkdirSync(dir, { recursive: true });
    const safe = safeFileName(name);
    json(res, 200, { path: join(dir, safe), name: safe } satisfies PickedFile);
  }

  async function download(res: ServerResponse, url: URL): Promise<void> {
    const path = resolve(url.searchParams.get('path') ?? '');
    if (!path.startsWith(exports + sep)) {
      json(res, 403, { error: 'outside_exports' });
      return;
    }
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      json(res, 404, { error: 'not_found' });
      return;
    }
    const name = basename(path);
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'content-disposition': `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'cache-control': 'no-store',
    });
    await pipeline(createReadStream(path), res);
  }

  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!url.pathname.startsWith('/__files/')) return false;
      if (!LOOPBACK_HOSTS.has(hostName(req.headers.host))) {
        json(res, 403, { error: 'loopback_only' });
        return true;
      }
      const origin = req.headers.origin;
      if (
        origin !== undefined &&
        !LOOPBACK_HOSTS.has(hostName(origin.replace(/^https?:\/\//, '')))
      ) {
        json(res, 403, { error: 'cross_origin' });
        return true;
      }
      if (req.method === 'POST' && url.pathname === '/__files/upload') await upload(req, res, url);
      else if (req.method === 'POST' && url.pathname === '/__files/reserve')
        await reserve(req, res);
      else if (req.method === 'GET' && url.pathname === '/__files/download')
        await download(res, url);
      else json(res, 404, { error: 'unknown_route' });
      return true;
    },
  };
}
