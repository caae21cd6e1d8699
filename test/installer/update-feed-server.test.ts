// The update feed as the head-office server really serves it (buildApp, the same options
// `npm run server` passes), with releases published and rolled out by the admin CLI while
// the server is running — what branch IT does (docs/INSTALLING.md, "Update channels").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../server/cli/run-admin';
import type { Database } from '../../server/db/database';
import { buildApp } from '../../server/http/app';
import { testBackends } from '../server/helpers/backends';
import { TEST_SCRYPT } from '../server/helpers/world';
import { NOW } from './helpers';
import { makeRelease } from './release-fixture';

const backend = testBackends()[0];

/** The admin CLI in-process, as `npm run admin --` runs it beside a running server. */
async function admin(args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await runAdmin(args, {
    io: { out: () => undefined, err: (l) => void err.push(l), readStdinLine: async () => '' },
    openDb: () => Promise.reject(new Error('the database is held by the running server')),
    defaultActor: 'cli:it-admin',
    scrypt: TEST_SCRYPT,
    now: () => NOW,
  });
  return { code, err: err.join('\n') };
}

describe('the sync server serves /updates from its releases folder', () => {
  let db: Database;
  let app: FastifyInstance;
  let noFeed: FastifyInstance;
  let root: string;
  let releasesDir: string;
  let installer: Buffer;

  beforeAll(async () => {
    if (!backend) throw new Error('no test database backend');
    db = await backend.open();
    // Not helpers.tempDir: that one is removed after each test, this lives for the file.
    root = mkdtempSync(join(tmpdir(), 'fieldbook-feed-server-'));
    releasesDir = join(root, 'releases');
    const release = makeRelease(join(root, 'Fieldbook-0.2.0'));
    installer = release.files['Fieldbook-Setup-0.2.0.exe'] as Buffer;
    // A tight per-device limit: the feed has its own, far larger one (differential downloads).
    ({ app } = await buildApp({ db, log: false, releasesDir, rateLimitPerMinute: 3 }));
    ({ app: noFeed } = await buildApp({ db, log: false }));
    const published = await admin([
      'publish-release',
      '--channel',
      'stable',
      '--from',
      release.dir,
      '--percent',
      '10',
      '--releases-dir',
      releasesDir,
    ]);
    expect(published).toEqual({ code: 0, err: '' });
  });

  afterAll(async () => {
    await app?.close();
    await noFeed?.close();
    await db?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('serves latest.yml with the staged rollout, never cached, without a device token', async () => {
    const res = await app.inject({ url: '/updates/stable/latest.yml' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache, no-store');
    expect(res.body).toMatch(/^version: 0\.2\.0$/m);
    expect(res.body).toMatch(/^stagingPercentage: 10$/m);
  });

  it('a rollout changed with the admin CLI while the server runs is served at once', async () => {
    expect(
      await admin([
        'set-rollout',
        '--channel',
        'stable',
        '--percent',
        '60',
        '--releases-dir',
        releasesDir,
      ]),
    ).toEqual({ code: 0, err: '' });
    const res = await app.inject({ url: '/updates/stable/latest-linux.yml' });
    expect(res.body).toMatch(/^stagingPercentage: 60$/m);
    expect(
      await admin([
        'set-rollout',
        '--channel',
        'stable',
        '--percent',
        '0',
        '--releases-dir',
        releasesDir,
      ]),
    ).toMatchObject({ code: 0 });
    expect((await app.inject({ url: '/updates/stable/latest.yml' })).body).toMatch(
      /^stagingPercentage: 0$/m,
    );
  });

  it('streams installers in byte ranges, uncompressed, past the per-device request limit', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await app.inject({
        url: '/updates/stable/Fieldbook-Setup-0.2.0.exe',
        headers: { range: `bytes=${i * 1000}-${i * 1000 + 999}`, 'accept-encoding': 'br, gzip' },
      });
      expect(res.statusCode, `request ${i + 1}`).toBe(206);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.rawPayload.equals(installer.subarray(i * 1000, i * 1000 + 1000))).toBe(true);
    }
  });

  it('answers 404 in JSON for files that are not there, and when no releases folder is set', async () => {
    const missing = await app.inject({ url: '/updates/stable/Fieldbook-Setup-9.9.9.exe' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await noFeed.inject({ url: '/updates/stable/latest.yml' })).statusCode).toBe(404);
  });
});
