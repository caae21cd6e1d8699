// The update feed the sync server serves at /updates/<channel>/: latest*.yml with the staged
// rollout applied (read back by electron-updater's own provider over real HTTP), installers
// with byte ranges, and nothing outside the channel folders.
import {
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import { HttpExecutor } from 'builder-util-runtime';
import type { AppUpdater } from 'electron-updater';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';
import type { ProviderRuntimeOptions } from 'electron-updater/out/providers/Provider';
import { parseUpdateInfo } from 'electron-updater/out/providers/Provider';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRange } from '../../server/updates/range';
import { registerUpdateFeed } from '../../server/updates/feed';
import { readUpdateInfo, withStagingPercentage } from '../../server/updates/update-info';
import { writeRollout } from '../../server/updates/rollout';
import { NOW, tempDir } from './helpers';
import { makeRelease, updateInfoYml, type ReleaseFixture } from './release-fixture';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

interface Feed {
  app: FastifyInstance;
  releasesDir: string;
  release: ReleaseFixture;
}

async function feed(
  options: {
    rollout?: { percent: number; version: string | null };
    withServerPlugins?: boolean;
  } = {},
): Promise<Feed> {
  const root = tempDir();
  const releasesDir = join(root, 'releases');
  const release = makeRelease(join(releasesDir, 'stable'));
  writeFileSync(join(root, 'secret.txt'), 'server secrets');
  writeFileSync(join(releasesDir, 'stable', '.hidden.exe'), 'hidden');
  if (options.rollout) {
    writeRollout(releasesDir, 'stable', {
      ...options.rollout,
      updatedAt: NOW.toISOString(),
      updatedBy: 'cli:test',
    });
  }
  // forceCloseConnections: keep-alive sockets of the HTTP clients below must not hold close() up.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  apps.push(app);
  if (options.withServerPlugins) {
    // The same global plugins the sync server registers (server/http/app.ts).
    await app.register(compress, { global: true, encodings: ['br', 'gzip'], threshold: 1024 });
    await app.register(rateLimit, { global: true, max: 5, timeWindow: 60_000 });
  }
  registerUpdateFeed(app, { releasesDir });
  await app.ready();
  return { app, releasesDir, release };
}

describe('latest*.yml', () => {
  it('is served as YAML, never cached, with the rollout as stagingPercentage', async () => {
    const { app } = await feed({ rollout: { percent: 20, version: '0.2.0' } });
    const res = await app.inject({ url: '/updates/stable/latest.yml' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/yaml; charset=utf-8');
    expect(res.headers['cache-control']).toContain('no-store');
    const info = parseUpdateInfo(
      res.body,
      'latest.yml',
      new URL('https://x/updates/stable/latest.yml'),
    );
    expect(info.version).toBe('0.2.0');
    expect(info.stagingPercentage).toBe(20);
    expect(info.files[0]?.url).toBe('Fieldbook-Setup-0.2.0.exe');
    // Fields the server does not know are passed through untouched.
    expect((info as unknown as Record<string, unknown>).isAdminRightsRequired).toBe(undefined);
    expect(res.body).toContain('isAdminRightsRequired: true');
  });

  it('at 100% carries no stagingPercentage (everyone), and at 0% reaches nobody', async () => {
    const full = await feed({ rollout: { percent: 100, version: '0.2.0' } });
    expect((await full.app.inject({ url: '/updates/stable/latest-linux.yml' })).body).not.toContain(
      'stagingPercentage',
    );
    const paused = await feed({ rollout: { percent: 0, version: '0.2.0' } });
    expect(
      readUpdateInfo((await paused.app.inject({ url: '/updates/stable/latest-linux.yml' })).body)
        .stagingPercentage,
    ).toBe(0);
  });

  it('for a version other than the rollout was set for, says 0: a hand-copied release reaches nobody', async () => {
    const { app } = await feed({ rollout: { percent: 50, version: '0.1.9' } });
    expect(
      readUpdateInfo((await app.inject({ url: '/updates/stable/latest.yml' })).body)
        .stagingPercentage,
    ).toBe(0);
  });

  it('without a rollout file is served exactly as published', async () => {
    const { app, release } = await feed();
    expect((await app.inject({ url: '/updates/stable/latest.yml' })).body).toBe(
      (release.files['latest.yml'] as Buffer).toString(),
    );
  });

  it("is read by electron-updater's generic provider over HTTP, as a laptop would", async () => {
    const { app, release } = await feed({ rollout: { percent: 35, version: '0.2.0' } });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });

    class NodeExecutor extends HttpExecutor<ClientRequest> {
      createRequest(
        options: RequestOptions,
        callback: (response: IncomingMessage) => void,
      ): ClientRequest {
        return httpRequest(options, callback);
      }
    }
    const runtime = {
      isUseMultipleRangeRequest: false,
      platform: 'win32',
      executor: new NodeExecutor(),
    } as unknown as ProviderRuntimeOptions;
    const updater = { channel: null, isAddNoCacheQuery: false } as unknown as AppUpdater;
    const provider = new GenericProvider(
      { provider: 'generic', url: `${address}/updates/stable` },
      updater,
      runtime,
    );
    const info = await provider.getLatestVersion();
    expect(info.version).toBe('0.2.0');
    expect(info.stagingPercentage).toBe(35);
    const [file] = provider.resolveFiles(info);
    expect(file?.url.href).toBe(`${address}/updates/stable/Fieldbook-Setup-0.2.0.exe`);
    const body = Buffer.from(await (await fetch(file!.url)).arrayBuffer());
    expect(body.equals(release.files['Fieldbook-Setup-0.2.0.exe'] as Buffer)).toBe(true);
  });
});

describe('installers and blockmaps', () => {
  it('download whole, with length, type and range support advertised', async () => {
    const { app, release } = await feed();
    const res = await app.inject({ url: '/updates/stable/Fieldbook-Setup-0.2.0.exe' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.microsoft.portable-executable');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['content-length']).toBe('200000');
    expect(res.rawPayload.equals(release.files['Fieldbook-Setup-0.2.0.exe'] as Buffer)).toBe(true);
    expect(
      (await app.inject({ url: '/updates/stable/Fieldbook-0.2.0-x86_64.AppImage' })).headers[
        'content-type'
      ],
    ).toBe('application/vnd.appimage');
    expect(
      (await app.inject({ url: '/updates/stable/SHA256SUMS.txt' })).headers['content-type'],
    ).toBe('text/plain; charset=utf-8');
  });

  it('answer a byte range with 206 and exactly those bytes (differential and resumed downloads)', async () => {
    const { app, release } = await feed();
    const exe = release.files['Fieldbook-Setup-0.2.0.exe'] as Buffer;
    const res = await app.inject({
      url: '/updates/stable/Fieldbook-Setup-0.2.0.exe',
      headers: { range: 'bytes=1000-1999' },
    });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 1000-1999/200000');
    expect(res.rawPayload.equals(exe.subarray(1000, 2000))).toBe(true);
    const tail = await app.inject({
      url: '/updates/stable/Fieldbook-Setup-0.2.0.exe',
      headers: { range: 'bytes=-100' },
    });
    expect(tail.rawPayload.equals(exe.subarray(exe.length - 100))).toBe(true);
    const open = await app.inject({
      url: '/updates/stable/Fieldbook-Setup-0.2.0.exe',
      headers: { range: 'bytes=199990-' },
    });
    expect(open.rawPayload.length).toBe(10);
  });

  it('refuse a range past the end with 416 and the size', async () => {
    const { app } = await feed();
    const res = await app.inject({
      url: '/updates/stable/Fieldbook-Setup-0.2.0.exe',
      headers: { range: 'bytes=300000-' },
    });
    expect(res.statusCode).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */200000');
  });

  it("are served uncompressed and unthrottled beside the server's compress and rate-limit plugins", async () => {
    const { app, release } = await feed({ withServerPlugins: true });
    for (let i = 0; i < 8; i++) {
      const res = await app.inject({
        url: '/updates/stable/Fieldbook-Setup-0.2.0.exe',
        headers: { range: `bytes=${i * 100}-${i * 100 + 99}`, 'accept-encoding': 'br, gzip' },
      });
      expect(res.statusCode).toBe(206);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(
        res.rawPayload.equals(
          (release.files['Fieldbook-Setup-0.2.0.exe'] as Buffer).subarray(i * 100, i * 100 + 100),
        ),
      ).toBe(true);
    }
  });
});

describe('nothing else is served', () => {
  const refused = [
    '/updates/stable/..%2F..%2Fsecret.txt',
    '/updates/stable/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/updates/stable/..%5C..%5Csecret.txt',
    '/updates/..%2F/secret.txt',
    '/updates/%2e%2e/secret.txt',
    '/updates/stable/rollout.json',
    '/updates/stable/.hidden.exe',
    '/updates/stable/notes.yml',
    '/updates/stable/package.json',
    '/updates/Stable/latest.yml',
    '/updates/stable/latest.yml%00.exe',
    '/updates/stable/',
    '/updates/../secret.txt',
  ];
  it.each(refused)('%s answers 404 without touching the disk outside the channel', async (url) => {
    const { app } = await feed({ rollout: { percent: 10, version: '0.2.0' } });
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('server secrets');
  });

  it('a symbolic link inside the channel that leads outside it is not followed', async () => {
    const { app, releasesDir } = await feed();
    symlinkSync(
      join(releasesDir, '..', 'secret.txt'),
      join(releasesDir, 'stable', 'SHA256SUMS-evil.txt'),
    );
    expect((await app.inject({ url: '/updates/stable/SHA256SUMS-evil.txt' })).statusCode).toBe(404);
  });

  it('an unknown channel answers 404', async () => {
    const { app, releasesDir } = await feed();
    mkdirSync(join(releasesDir, 'beta'));
    expect((await app.inject({ url: '/updates/beta/latest.yml' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/updates/nightly/latest.yml' })).statusCode).toBe(404);
  });
});

describe('the pieces', () => {
  it("readUpdateInfo reads what js-yaml (electron-updater) reads from electron-builder's format", () => {
    const data = Buffer.from('x'.repeat(1234));
    const text = updateInfoYml(
      '1.2.3-beta.1',
      'Fieldbook Setup 1.2.3.exe',
      data,
      'releaseNotes: |\n  line one\n  stagingPercentage: 99 (not a key)',
    );
    const ours = readUpdateInfo(text);
    const theirs = parseUpdateInfo(text, 'latest.yml', new URL('https://x/latest.yml'));
    expect(ours.version).toBe(theirs.version);
    expect(ours.files).toEqual(
      theirs.files.map((f) => ({ url: f.url, sha512: f.sha512, size: f.size })),
    );
    expect(ours.stagingPercentage).toBeNull();
  });

  it('withStagingPercentage replaces an existing value, keeps notes blocks intact, and removes it for null', () => {
    const text = `${updateInfoYml('1.0.0', 'a.exe', Buffer.from('a'))}releaseNotes: |\n  first\n  second\nstagingPercentage: 5\n`;
    const set = withStagingPercentage(text, 40);
    const parsed = parseUpdateInfo(set, 'latest.yml', new URL('https://x/latest.yml'));
    expect(parsed.stagingPercentage).toBe(40);
    expect(parsed.releaseNotes).toBe('first\nsecond\n');
    expect(set.match(/stagingPercentage/g)).toHaveLength(1);
    expect(withStagingPercentage(set, null)).not.toContain('stagingPercentage');
  });

  it('parseRange: single ranges only, clamped, junk ignored', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=90-200', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=9-3', 100)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-1', 100)).toEqual({ kind: 'full' });
  });
});
