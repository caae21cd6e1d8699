// POST /v1/sync/push and GET /v1/sync/pull (protocol in shared/sync/protocol.ts).
import type { FastifyInstance } from 'fastify';
import {
  pullQuerySchema,
  pushRequestSchema,
  type PushResponse,
} from '../../../shared/sync/protocol';
import type { Database } from '../../db/database';
import { ServerError } from '../../errors';
import { pull } from '../../sync/pull';
import { applyPush } from '../../sync/push';
import { authenticateDeviceAndUser } from '../auth';
import { parseOrThrow } from '../http-errors';
import type { ServerMetrics } from '../metrics';

export function registerSyncRoutes(
  app: FastifyInstance,
  deps: { db: Database; metrics: ServerMetrics; pushBodyLimit: number },
): void {
  app.post('/v1/sync/push', { bodyLimit: deps.pushBodyLimit }, async (request) => {
    const { device } = await authenticateDeviceAndUser(deps.db, request);
    const input = parseOrThrow(pushRequestSchema, request.body, 'push request');
    const started = performance.now();
    const outcome = await applyPush(
      deps.db,
      { id: device.id, branchId: device.branch_id },
      input.mutations,
    );
    deps.metrics.pushDuration.observe({}, (performance.now() - started) / 1000);
    deps.metrics.pushRequests.inc();
    deps.metrics.pushMutations.inc({ result: 'accepted' }, outcome.accepted);
    deps.metrics.pushMutations.inc({ result: 'refused' }, outcome.refused);
    deps.metrics.pushMutations.inc({ result: 'duplicate' }, outcome.duplicates);
    request.log.info(
      {
        deviceId: device.id,
        mutations: input.mutations.length,
        accepted: outcome.accepted,
        refused: outcome.refused,
        duplicates: outcome.duplicates,
      },
      'push applied',
    );
    const response: PushResponse = {
      results: outcome.results,
      lastMutationId: outcome.lastMutationId,
    };
    return response;
  });

  app.get('/v1/sync/pull', async (request) => {
    const { device, user } = await authenticateDeviceAndUser(deps.db, request);
    const query = parseOrThrow(pullQuerySchema, request.query, 'pull query');
    const started = performance.now();
    try {
      const page = await pull(
        deps.db,
        {
          userId: user.id,
          role: user.role,
          userBranchId: user.branchId,
          deviceId: device.id,
          deviceBranchId: device.branch_id,
        },
        { cursor: query.cursor, limit: query.limit },
      );
      deps.metrics.pullDuration.observe({}, (performance.now() - started) / 1000);
      deps.metrics.pullRequests.inc();
      deps.metrics.pullItems.inc({}, page.items.length);
      request.log.info(
        { deviceId: device.id, items: page.items.length, hasMore: page.hasMore },
        'pull served',
      );
      return page;
    } catch (err) {
      if (err instanceof ServerError && err.code === 'resync_required') deps.metrics.resyncs.inc();
      throw err;
    }
  });
}
