// POST /v1/enrol: a one-time code -> a device token (shown once) and the directory of
// the users who may sign in on the device.
import type { FastifyInstance } from 'fastify';
import {
  SYNC_SCHEMA_VERSION,
  enrolRequestSchema,
  type EnrolResponse,
} from '../../../shared/sync/protocol';
import type { Database } from '../../db/database';
import { ServerError } from '../../errors';
import { getBranch } from '../../model/branches';
import { enrolDevice } from '../../model/devices';
import { branchDirectory } from '../../model/users';
import { parseOrThrow } from '../http-errors';
import type { ServerMetrics } from '../metrics';

export function registerEnrolRoute(
  app: FastifyInstance,
  deps: { db: Database; metrics: ServerMetrics; enrolPerMinute: number },
): void {
  app.post(
    '/v1/enrol',
    {
      bodyLimit: 16 * 1024,
      // Per address, not per device: there is no device yet, and codes must not be guessable by retrying.
      config: {
        rateLimit: {
          max: deps.enrolPerMinute,
          timeWindow: 60_000,
          keyGenerator: (req) => `enrol:${req.ip}`,
        },
      },
    },
    async (request, reply) => {
      const input = parseOrThrow(enrolRequestSchema, request.body, 'enrolment request');
      let response: EnrolResponse;
      try {
        response = await deps.db.transaction(async (tx) => {
          const { device, token } = await enrolDevice(tx, {
            code: input.code,
            deviceName: input.deviceName,
          });
          const branch = device.branch_id ? await getBranch(tx, device.branch_id) : null;
          return {
            deviceId: device.id,
            deviceToken: token,
            branch,
            users: await branchDirectory(tx, device.branch_id),
            schemaVersion: SYNC_SCHEMA_VERSION,
            serverTime: new Date().toISOString(),
          };
        });
      } catch (err) {
        if (err instanceof ServerError) deps.metrics.enrolments.inc({ result: err.code });
        throw err;
      }
      deps.metrics.enrolments.inc({ result: 'enrolled' });
      request.log.info({ deviceId: response.deviceId }, 'device enrolled');
      return reply.code(201).send(response);
    },
  );
}
