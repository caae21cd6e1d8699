// GET /health (load balancers) and GET /metrics (Prometheus). Neither is rate limited;
// /metrics needs a bearer token when FIELDBOOK_METRICS_TOKEN is set.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database';
import { ServerError } from '../../errors';
import { bearerToken } from '../auth';
import type { ServerMetrics } from '../metrics';

export function registerOpsRoutes(
  app: FastifyInstance,
  deps: { db: Database; metrics: ServerMetrics; metricsToken: string | null; version: string },
): void {
  app.get('/health', { config: { rateLimit: false } }, async (_request, reply) => {
    try {
      await deps.db.query('select 1');
      return { status: 'ok', database: deps.db.backend, version: deps.version };
    } catch {
      return reply
        .code(503)
        .send({ status: 'unavailable', database: deps.db.backend, version: deps.version });
    }
  });

  app.get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
    if (deps.metricsToken) {
      const given = Buffer.from(bearerToken(request) ?? '');
      const wanted = Buffer.from(deps.metricsToken);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
        throw new ServerError(
          'unauthenticated',
          'GET /metrics needs the metrics token (Authorization: Bearer …)',
        );
      }
    }
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(deps.metrics.render());
  });
}
