// POST /v1/sync/push and GET /v1/sync/pull (protocol in shared/sync/protocol.ts).
import type { FastifyInstance } from 'fastify';
import {
  HEADER_NEXT_CURSOR,
  SYNC_SCHEMA_VERSION,
  compactMutationResult,
  fromPushRequest,
  pullQuerySchema,
  pushRequestV1Schema,
  pushRequestV2Schema,
  type PushRequest,
} from '../../../shared/sync/protocol';
import { compactFact } from '../../../shared/sync/records';
import { itemsForVersion } from '../../sync/downgrade';
import type { Database } from '../../db/database';
import { ServerError } from '../../errors';
import { pull } from '../../sync/pull';
import { applyPush } from '../../sync/push';
import { authenticateDeviceAndUser } from '../auth';
import { parseOrThrow } from '../http-errors';
import type { ServerMetrics } from '../metrics';
import { sendSyncJson } from './sync-reply';

/** A device newer than this server is told to wait for the server's update, not guessed at. */
function checkVersion(version: number): void {
  if (version > SYNC_SCHEMA_VERSION)
    throw new ServerError(
      'invalid_input',
      `This server speaks sync schema version ${SYNC_SCHEMA_VERSION}; the device speaks ${version}. Update the server.`,
      { field: 'schemaVersion', schemaVersion: version, supported: SYNC_SCHEMA_VERSION },
    );
}

/** Version 2 bodies say schemaVersion; version 1 bodies (outdated devices) do not. */
function parsePush(body: unknown): PushRequest {
  const v2 = typeof body === 'object' && body !== null && 'schemaVersion' in body;
  if (v2) {
    const version = (body as { schemaVersion: unknown }).schemaVersion;
    if (typeof version === 'number') checkVersion(version);
    return parseOrThrow(pushRequestV2Schema, body, 'push request');
  }
  return parseOrThrow(pushRequestV1Schema, body, 'push request');
}

export function registerSyncRoutes(
  app: FastifyInstance,
  deps: { db: Database; metrics: ServerMetrics; pushBodyLimit: number },
): void {
  app.post('/v1/sync/push', { bodyLimit: deps.pushBodyLimit }, async (request, reply) => {
    const { device, user } = await authenticateDeviceAndUser(deps.db, request);
    const input = parsePush(request.body);
    const v2 = 'schemaVersion' in input;
    if (v2 && input.deviceId !== device.id)
      throw new ServerError('invalid_input', 'This push names another device than its token', {
        field: 'deviceId',
      });
    const started = performance.now();
    const outcome = await applyPush(
      deps.db,
      { id: device.id, branchId: device.branch_id },
      user.id,
      fromPushRequest(input, user.id),
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
    return sendSyncJson(request, reply, {
      results: v2 ? outcome.results.map(compactMutationResult) : outcome.results,
      lastMutationId: outcome.lastMutationId,
    });
  });

  app.get('/v1/sync/pull', async (request, reply) => {
    const { device, user } = await authenticateDeviceAndUser(deps.db, request);
    const query = parseOrThrow(pullQuerySchema, request.query, 'pull query');
    checkVersion(query.v);
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
      // The device can ask for the next page before it has read this one (pull-ahead.ts).
      if (page.hasMore) void reply.header(HEADER_NEXT_CURSOR, page.cursor);
      const items = itemsForVersion(page.items, query.v);
      if (query.v < 2) return await sendSyncJson(request, reply, { ...page, items });
      return await sendSyncJson(request, reply, {
        ...page,
        items: items.map((item) =>
          item.type === 'fact' ? { type: 'fact', fact: compactFact(item.fact) } : item,
        ),
      });
    } catch (err) {
      if (err instanceof ServerError && err.code === 'resync_required') deps.metrics.resyncs.inc();
      throw err;
    }
  });
}
