/**
 * The account's security activity (GET /auth/events): each event is written in the transaction or
 * statement of the change it describes, with the request's address and user agent, and logged as
 * one structured info line `{ event, userId, sessionId }` (never an email, token or address).
 *
 * Written here with `record` (in the caller's transaction), `recordLoginFailed`, or by a statement of
 * the sessions repository from a `draft` (a login, a revocation), then logged with `logged`. An event
 * is the last write of its transaction, so its line is written just before the commit.
 *
 * `sessionId` is the session the event is about: the one started (signup, login), ended (logout,
 * session_revoked, refresh_reuse_detected) or acted from (logout_all, password_changed, email_changed,
 * email_verified with an access token); null when there is none (a failed login, a reset by email, a
 * reset request).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import type { SessionEvent } from '../repositories/sessions.repository.js';
import type { SecurityEventsRepository, SecurityEventType } from '../repositories/security-events.repository.js';
import type { Queryable } from '../repositories/transaction.js';
import { deviceName } from '../utils/device.js';
import { storedUserAgent, type ClientContext } from './session-tokens.js';

/** How long events are kept (src/services/session-cleanup.service.ts). */
export const SECURITY_EVENT_RETENTION_DAYS = 90;
/** The page size when none is asked for: the default of every list (common.schema.ts `Pagination`). */
const DEFAULT_PAGE_SIZE = 50;

export interface SecurityEventView {
  id: string;
  type: SecurityEventType;
  createdAt: Date;
  ip: string | null;
  device: string | null;
  sessionId: string | null;
}

export class SecurityEventService {
  constructor(
    private readonly events: SecurityEventsRepository,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Writes an event of the user in `tx` (the transaction of its change; none for a failure), and logs it. */
  async record(type: SecurityEventType, userId: string, sessionId: string | null, context: ClientContext, tx?: Queryable): Promise<void> {
    await this.events.insert({ ...this.draft(type, context), userId, createdAt: new Date(), sessionId }, tx);
    this.logged(type, userId, sessionId);
  }

  /** A failed sign-in with this email: recorded if an account has it, in the same time either way. */
  async recordLoginFailed(email: string, context: ClientContext): Promise<void> {
    const userId = await this.events.insertForEmail(email, {
      ...this.draft('login_failed', context),
      createdAt: new Date(),
      sessionId: null,
    });
    if (userId) this.logged('login_failed', userId, null);
  }

  /** An event for a sessions-repository statement to write beside its change; log it with `logged` once written. */
  draft(type: SecurityEventType, context: ClientContext, sessionId?: string): SessionEvent {
    return { id: randomUUID(), type, ip: context.ip ?? null, userAgent: storedUserAgent(context), sessionId };
  }

  /** The log line of a written event. */
  logged(type: SecurityEventType, userId: string, sessionId: string | null): void {
    this.log.info({ event: type, userId, sessionId }, 'security event');
  }

  /** The user's events, newest first; after the event `before` (an id from the previous page) when given. */
  async list(userId: string, page: { limit?: number | undefined; before?: string | undefined }): Promise<SecurityEventView[]> {
    const events = await this.events.listOwned(userId, page.limit ?? DEFAULT_PAGE_SIZE, page.before);
    return events.map(({ userAgent, ...event }) => ({ ...event, device: deviceName(userAgent) }));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    securityEventService: SecurityEventService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('securityEventService', new SecurityEventService(fastify.securityEventsRepository, fastify.log));
  },
  { name: 'security-event-service', dependencies: ['security-events-repository'] },
);
