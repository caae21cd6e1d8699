// GET /updates/<channel>/<file>: the generic update feed electron-updater reads.
//   latest.yml, latest-mac.yml, latest-linux.yml: with the channel's staged rollout applied
//     (stagingPercentage), never cached;
//   installers, blockmaps, the macOS zip, SHA256SUMS*.txt: streamed with single-range
//     support (differential downloads and resumed downloads).
// Unauthenticated on purpose: installers are not secret, and a laptop that cannot sign in
// must still be able to update. Anything that is not a release file answers 404.
import { createReadStream, readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseRange } from './range';
import { resolveReleaseFile } from './release-files';
import { applyRollout, readRollout } from './rollout';

export interface UpdateFeedOptions {
  /** The folder holding one sub-folder per channel (see release-files.ts). */
  releasesDir: string;
  /** URL prefix; default /updates. */
  prefix?: string;
  /**
   * Per-address limit for these routes (they take no device token). A differential
   * download makes one request per changed block range, so the default is generous.
   * false: no limit (only when something in front of the server limits instead).
   */
  rateLimit?: false | { max: number; timeWindow: number };
}

export const UPDATE_FEED_DEFAULT_RATE_LIMIT = { max: 2000, timeWindow: 60_000 } as const;

function notFound(reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .send({ error: { code: 'not_found', message: 'No such release file', params: {} } });
}

export function registerUpdateFeed(app: FastifyInstance, options: UpdateFeedOptions): void {
  const prefix = (options.prefix ?? '/updates').replace(/\/+$/, '');
  const limit =
    options.rateLimit === undefined ? UPDATE_FEED_DEFAULT_RATE_LIMIT : options.rateLimit;
  app.get<{ Params: { channel: string; file: string } }>(
    `${prefix}/:channel/:file`,
    {
      // Installers are already compressed, and a compressed body would break byte ranges.
      compress: false,
      config: {
        rateLimit:
          limit === false
            ? false
            : {
                max: limit.max,
                timeWindow: limit.timeWindow,
                keyGenerator: (req) => `updates:${req.ip}`,
              },
      },
    },
    async (request, reply) => {
      const { channel, file } = request.params;
      const resolved = resolveReleaseFile(options.releasesDir, channel, file);
      if (!resolved.ok) {
        if (resolved.reason === 'outside' || resolved.reason === 'bad_name') {
          request.log.warn(
            { channel: channel.slice(0, 40), reason: resolved.reason },
            'update feed refused a file name',
          );
        }
        return notFound(reply);
      }
      const release = resolved.file;
      void reply.header('X-Content-Type-Options', 'nosniff');

      if (release.isUpdateInfo) {
        const applied = applyRollout(
          readFileSync(release.path, 'utf8'),
          readRollout(options.releasesDir, channel),
        );
        if (applied.mismatch) {
          request.log.warn(
            { channel, file, version: applied.version },
            'release has no rollout set for its version; served to nobody (stagingPercentage 0)',
          );
        }
        return reply
          .header('Cache-Control', 'no-cache, no-store')
          .type(release.contentType)
          .send(applied.text);
      }

      void reply
        .header('Accept-Ranges', 'bytes')
        .header('Cache-Control', 'public, max-age=3600')
        .header('Last-Modified', release.mtime.toUTCString())
        .type(release.contentType);
      const range = parseRange(request.headers.range, release.size);
      if (range.kind === 'unsatisfiable') {
        return reply.code(416).header('Content-Range', `bytes */${release.size}`).send();
      }
      if (range.kind === 'partial') {
        return reply
          .code(206)
          .header('Content-Range', `bytes ${range.start}-${range.end}/${release.size}`)
          .header('Content-Length', String(range.end - range.start + 1))
          .send(createReadStream(release.path, { start: range.start, end: range.end }));
      }
      return reply
        .header('Content-Length', String(release.size))
        .send(createReadStream(release.path));
    },
  );
}
