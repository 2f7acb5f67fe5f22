/** GET and POST /sync: offline-first sync for mobile apps (docs/api.md, "Offline-first sync"). Registered in the authenticated scope. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createValidatorCompiler } from '../http/ajv.js';
import { BearerAuth, errorResponses as errors } from '../schemas/common.schema.js';
import { SYNC_PAGE_DEFAULT, SYNC_PUSH_MAX, SyncPage, SyncPushBody, SyncPushReply, SyncQuery } from '../schemas/sync.schema.js';

/** POST /sync's body: what PostgreSQL cannot store is checked per change, by the change's own validators (sync-push.service.ts). */
const checkedPerChange = createValidatorCompiler({ storable: false });

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

  fastify.post(
    '/sync',
    {
      schema: {
        tags: ['sync'],
        summary: `Apply a device’s queued changes (1 to ${SYNC_PUSH_MAX}), one by one in order`,
        description:
          'Each change stands alone and gets one result: `applied` (with the new `version` for an upsert), `conflict` (its `baseVersion` ' +
          'is not the server’s, or the item is gone: `current` is the server’s copy or null, nothing changed) or `rejected` (`error` is what ' +
          'the single-item route would answer: 400, 404, 409). Another user’s item is always `rejected`. The reply has no cursor: keep ' +
          'pulling from your last GET /sync cursor (your own changes come back there too).',
        security: BearerAuth,
        body: SyncPushBody,
        response: { 200: SyncPushReply, ...errors(400, 401, 413) },
      },
      validatorCompiler: checkedPerChange,
    },
    async (request) => ({ results: await fastify.syncPushService.push(request.user.userId, request.body.changes) }),
  );
};

export default syncRoutes;
