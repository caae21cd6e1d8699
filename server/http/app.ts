// Builds the HTTP server: JSON only, compressed both ways, rate limited per device,
// every input validated, borrower data kept out of the logs.
import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from '../db/database';
import { ServerError } from '../errors';
import { rateLimitKey } from './auth';
import { errorHandler } from './http-errors';
import { loggerOptions, type LogOptions } from './logging';
import { ServerMetrics } from './metrics';
import { registerDirectoryRoute } from './routes/directory';
import { registerEnrolRoute } from './routes/enrol';
import { registerOpsRoutes } from './routes/ops';
import { registerSyncRoutes } from './routes/sync';
import { registerUpdateFeed } from '../updates';

export interface AppOptions {
  db: Database;
  /** false: no logging at all. */
  log?: LogOptions | false;
  /** Requests per device per minute (all routes but /health and /metrics). */
  rateLimitPerMinute?: number;
  /** Enrolment attempts per client address per minute. */
  enrolPerMinute?: number;
  /** Largest decompressed body of a push; other routes take at most 64 KiB. */
  pushBodyLimit?: number;
  metricsToken?: string | null;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  trustProxy?: boolean;
  version?: string;
  /** Serve the update feed (server/updates) from this folder; absent: no update feed. */
  releasesDir?: string;
}

export const DEFAULTS = {
  rateLimitPerMinute: 120,
  enrolPerMinute: 10,
  pushBodyLimit: 2 * 1024 * 1024,
  bodyLimit: 64 * 1024,
} as const;

const UNSAFE_KEY_RE = /"(?:__proto__|constructor|prototype)"\s*:/;

function parseJson(text: string): unknown {
  if (!UNSAFE_KEY_RE.test(text)) return JSON.parse(text);
  return JSON.parse(text, (key, value: unknown) => {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      throw new ServerError('invalid_input', `The key "${key}" is not allowed in a request body`);
    }
    return value;
  });
}

export async function buildApp(
  options: AppOptions,
): Promise<{ app: FastifyInstance; metrics: ServerMetrics }> {
  const metrics = new ServerMetrics();
  const app = Fastify({
    logger: options.log === false ? false : loggerOptions(options.log ?? {}),
    bodyLimit: DEFAULTS.bodyLimit,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
  });

  app.decorateRequest('auth', null);
  app.decorateRequest('rawBody', null);

  // JSON only (text/plain and the rest are refused with 415). The raw (decompressed)
  // bytes are kept: the user proof covers them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, payload, done) => {
    const raw = payload as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) {
      done(
        Object.assign(new Error('empty JSON body'), {
          code: 'FST_ERR_CTP_EMPTY_JSON_BODY',
          statusCode: 400,
        }),
        undefined,
      );
      return;
    }
    try {
      done(null, parseJson(raw.toString('utf8')));
    } catch (err) {
      done(err instanceof ServerError ? err : new SyntaxError('invalid JSON'), undefined);
    }
  });

  app.setErrorHandler(errorHandler(metrics));
  app.setNotFoundHandler((_request, reply) => {
    void reply
      .code(404)
      .send({ error: { code: 'not_found', message: 'No such route', params: {} } });
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route }, reply.elapsedTime / 1000);
  });

  await app.register(compress, {
    global: true,
    encodings: ['br', 'gzip'],
    requestEncodings: ['br', 'gzip'],
    threshold: 1024,
    // Quality 2: on a first sync (13 MB of JSON) within 3 % of quality 4's size at 60 % of
    // its time, and far below the default (11), which is meant for static files.
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 2 } },
  });

  await app.register(rateLimit, {
    global: true,
    max: options.rateLimitPerMinute ?? DEFAULTS.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      new ServerError(
        'rate_limited',
        `Too many requests from this device; retry in ${context.after}`,
        {
          retryAfterSeconds: Math.ceil(context.ttl / 1000),
        },
      ),
  });

  registerEnrolRoute(app, {
    db: options.db,
    metrics,
    enrolPerMinute: options.enrolPerMinute ?? DEFAULTS.enrolPerMinute,
  });
  registerDirectoryRoute(app, { db: options.db });
  registerSyncRoutes(app, {
    db: options.db,
    metrics,
    pushBodyLimit: options.pushBodyLimit ?? DEFAULTS.pushBodyLimit,
  });
  if (options.releasesDir) registerUpdateFeed(app, { releasesDir: options.releasesDir });
  registerOpsRoutes(app, {
    db: options.db,
    metrics,
    metricsToken: options.metricsToken ?? null,
    version: options.version ?? 'dev',
  });

  await app.ready();
  return { app, metrics };
}
