/**
 * Strong ETags (offline sync: docs/api.md): every successful JSON reply of the signed-in routes
 * carries `ETag`, a digest of its bytes, so the same representation has the same tag on every
 * instance, and a write's reply carries the tag a GET of the same item answers with. A GET whose
 * `If-None-Match` names the tag is a 304 with no body. Streams (the export) are not tagged.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const etagOf = (body: string): string => `"${createHash('sha1').update(body).digest('base64url')}"`;

/** If-None-Match compares weakly (RFC 9110 §13.1.2): `W/` is ignored; `*` matches any tag. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

export default fp(
  async (fastify) => {
    // Callback style: every signed-in reply passes here, and an async hook costs a promise each.
    fastify.addHook(
      'onSend',
      (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
        if (typeof payload !== 'string' || reply.statusCode < 200 || reply.statusCode > 299 || reply.statusCode === 204) {
          done(null, payload);
          return;
        }
        const etag = etagOf(payload);
        void reply.header('etag', etag);
        const notModified = (request.method === 'GET' || request.method === 'HEAD') && matches(request.headers['if-none-match'], etag);
        if (notModified) void reply.code(304);
        done(null, notModified ? '' : payload);
      },
    );
  },
  { name: 'etag' },
);
