// The dev bridge's stand-in for file dialogs: an uploaded file lands under the data folder
// and the ledger gets its path; an export gets a reserved path and is then downloaded. Only
// the exports folder can be downloaded from, only on loopback, and leftovers of an earlier
// run (which may hold borrower data) are removed at start.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileRoutes } from '../../electron/dev-bridge/file-routes';
import { safeFileName } from '../../shared/api/file-host';

let dataDir: string;
let server: Server;
let port: number;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function call(
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (r: Reply) => JSON.parse(r.body.toString('utf8')) as Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fb-file-routes-'));
  mkdirSync(join(dataDir, 'uploads', 'old'), { recursive: true });
  writeFileSync(join(dataDir, 'uploads', 'old', 'portfolio.csv'), 'loan_no\nL1\n');
  const routes = createFileRoutes(dataDir);
  server = createServer((req, res) => {
    void routes.handle(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(418);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dev bridge file routes', () => {
  it('removes files handed over in an earlier run', () => {
    expect(existsSync(join(dataDir, 'uploads', 'old'))).toBe(false);
  });

  it('stores an upload byte for byte and answers its path', async () => {
    const gbk = Buffer.from([0xb4, 0xfb, 0xbf, 0xee, 0x2c, 0x31, 0x0a]); // 贷款,1 in GBK
    const r = await call(
      'POST',
      `/__files/upload?name=${encodeURIComponent('贷款 台账.csv')}`,
      gbk,
    );
    expect(r.status).toBe(200);
    const picked = json(r);
    expect(picked['name']).toBe('贷款 台账.csv');
    expect(picked['path']!.startsWith(join(dataDir, 'uploads') + sep)).toBe(true);
    expect(readFileSync(picked['path']!)).toEqual(gbk);
  });

  it('cleans a hostile upload name instead of writing outside the uploads folder', async () => {
    const r = await call(
      'POST',
      `/__files/upload?name=${encodeURIComponent('../../evil.sh')}`,
      'x',
    );
    const picked = json(r);
    expect(picked['name']).not.toContain('/');
    expect(picked['path']!.startsWith(join(dataDir, 'uploads') + sep)).toBe(true);
  });

  it('reserves an export path and downloads what was written there', async () => {
    const r = await call('POST', '/__files/reserve', JSON.stringify({ name: '对账 2026-11.csv' }), {
      'content-type': 'application/json',
    });
    const target = json(r);
    expect(target['path']!.startsWith(join(dataDir, 'exports') + sep)).toBe(true);
    writeFileSync(target['path']!, '\ufeff贷款编号\nL1\n');
    const d = await call('GET', `/__files/download?path=${encodeURIComponent(target['path']!)}`);
    expect(d.status).toBe(200);
    expect(String(d.headers['content-disposition'])).toContain("filename*=UTF-8''");
    expect(d.body.toString('utf8')).toBe('\ufeff贷款编号\nL1\n');
  });

  it('never downloads from outside the exports folder', async () => {
    const ledger = join(dataDir, 'ledger.db');
    writeFileSync(ledger, 'secret');
    const direct = await call('GET', `/__files/download?path=${encodeURIComponent(ledger)}`);
    expect(direct.status).toBe(403);
    const sneaky = join(dataDir, 'exports', '..', 'ledger.db');
    const dotted = await call('GET', `/__files/download?path=${encodeURIComponent(sneaky)}`);
    expect(dotted.status).toBe(403);
  });

  it('refuses other hosts and other origins', async () => {
    const host = await call('POST', '/__files/reserve', '{}', { host: 'evil.example:5190' });
    expect(host.status).toBe(403);
    const origin = await call('POST', '/__files/reserve', '{}', { origin: 'http://evil.example' });
    expect(origin.status).toBe(403);
  });

  it('leaves other paths to the next handler', async () => {
    expect((await call('GET', '/api/app.info')).status).toBe(418);
  });
});

describe('safeFileName', () => {
  it('keeps Chinese names and replaces separators and reserved characters', () => {
    expect(safeFileName('客户 名单.xlsx')).toBe('客户 名单.xlsx');
    expect(safeFileName('a/b\\c:d*?.csv')).toBe('a_b_c_d__.csv');
    expect(safeFileName('...hidden')).toBe('hidden');
    expect(safeFileName('tab\there')).toBe('tab_here');
    expect(safeFileName('   ')).toBe('file');
  });
});
