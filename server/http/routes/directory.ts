// GET /v1/directory: the users who may sign in on this device, for a device on which
// nobody can sign in any more (every password reset since the last sync). Device token only.
import type { FastifyInstance } from 'fastify';
import type { Directory } from '../../../shared/sync/protocol';
import type { Database } from '../../db/database';
import { getBranch } from '../../model/branches';
import { branchDirectory } from '../../model/users';
import { authenticateDevice } from '../auth';

export function registerDirectoryRoute(app: FastifyInstance, deps: { db: Database }): void {
  app.get('/v1/directory', async (request) => {
    const device = await authenticateDevice(deps.db, request);
    const directory: Directory = {
      branch: device.branch_id ? await getBranch(deps.db, device.branch_id) : null,
      users: await branchDirectory(deps.db, device.branch_id),
    };
    return directory;
  });
}
