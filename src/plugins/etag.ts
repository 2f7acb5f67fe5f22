/**
 * Strong ETags (offline sync: docs/api.md). A reply that is one habit, goal or check-in is tagged
 * with that item's state, `"<version>-<changeSeq>"`: the database gives every write of a user's
 * items a new change number, so the tag names one state exactly (also across a delete and a re-create
 * under the same id), is the same on every instance, and is what `If-Match` on the writes compares
 * inside the write's own statement. Any other successful JSON reply of the signed-in routes (lists,
 * /today, stats) is tagged with a digest of its bytes. A GET whose `If-None-Match` names the tag is
 * a 304 with no body. Streams (the export) are not tagged.
 */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Precondition } from '../repositories/writes.js';

interface ItemState {
  version: number;
  changeSeq: bigint;
}

const itemETag = ({ version, changeSeq }: ItemState): string => `"${version}-${changeSeq}"`;
const ITEM_ETAG = /^"([1-9]\d{0,9})-(\d{1,19})"$/;

const digestETag = (body: string): string => `"${createHash('sha1').update(body).digest('base64url')}"`;

const isItem = (payload: unknown): payload is ItemState =>
  typeof payload === 'object' && payload !== null && typeof (payload as Partial<ItemState>).changeSeq === 'bigint';

/** The `If-Match` request header, documented on the writes that honour it. */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      maxLength: 1024,
      description:
        'The item’s ETag: the write happens only if the item is still in that state, else 412 and nothing changes. `*`: any state.',
    }),
  ),
});

/**
 * The precondition an `If-Match` header sets: none when absent or `*` (the contract: `*` never
 * fails); else the states its item tags name. A weak or foreign tag names none (If-Match compares
 * strongly), so a header of only such tags always fails.
 */
export function ifMatch(request: FastifyRequest): Precondition | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const tags = header.split(',').map((tag) => tag.trim());
  if (tags.includes('*')) return undefined;
  return tags.flatMap((tag) => {
    const match = ITEM_ETAG.exec(tag);
    return match ? [{ version: Number(match[1]), changeSeq: BigInt(match[2]!) }] : [];
  });
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): `W/` is ignored; `*` matches any tag. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

const isSuccess = (reply: FastifyReply): boolean => reply.statusCode >= 200 && reply.statusCode <= 299 && reply.statusCode !== 204;

export default fp(
  async (fastify) => {
    // Callback style: every signed-in reply passes here, and an async hook costs a promise each.
    fastify.addHook(
      'preSerialization',
      (_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
        if (isSuccess(reply) && isItem(payload)) void reply.header('etag', itemETag(payload));
        done(null, payload);
      },
    );
    fastify.addHook(
      'onSend',
      (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
        if (typeof payload !== 'string' || !isSuccess(reply)) {
          done(null, payload);
          return;
        }
        const etag = (reply.getHeader('etag') as string | undefined) ?? digestETag(payload);
        void reply.header('etag', etag);
        const notModified = (request.method === 'GET' || request.method === 'HEAD') && matches(request.headers['if-none-match'], etag);
        if (notModified) void reply.code(304);
        done(null, notModified ? '' : payload);
      },
    );
  },
  { name: 'etag' },
);
