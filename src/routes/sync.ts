/** GET /sync: offline-first sync for mobile apps (docs/api.md, "Offline-first sync"). Registered in the authenticated scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BearerAuth, errorResponses as errors } from '../schemas/common.schema.js';
import { SYNC_PAGE_DEFAULT, SyncPage, SyncQuery } from '../schemas/sync.schema.js';

const syncRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/sync',
    {
      schema: {
        tags: ['sync'],
        summary: 'The caller’s habits, goals and check-ins changed or deleted after a cursor',
        description:
          'Without `since`: every current item, no deletions. Follow `cursor` while `hasMore`; keep the last `cursor` for the next sync. ' +
          'No change is ever skipped, even when two writes commit in the opposite order to the one they started in. ' +
          'A cursor older than the deletions kept (30 days) → 410: sync again from scratch.',
        security: BearerAuth,
        querystring: SyncQuery,
        response: { 200: SyncPage, ...errors(400, 401, 410) },
      },
    },
    async (request) => fastify.syncService.changes(request.user.userId, request.query.since, request.query.limit ?? SYNC_PAGE_DEFAULT),
  );
};

export default syncRoutes;
