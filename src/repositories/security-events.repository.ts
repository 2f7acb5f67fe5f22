/**
 * Security events: what happened to an account (sign-ins, sign-outs, password and address changes),
 * shown to its owner by GET /auth/events and kept 90 days. Each is written in the transaction, or the
 * statement, of the change it describes: here with `tx`, or by the sessions repository's own
 * statements (a login's session, a revocation), which insert with `SECURITY_EVENT_COLUMNS`.
 */
import fp from 'fastify-plugin';
import type { SecurityEventType } from '../generated/prisma/enums.js';
import type { Database } from '../plugins/database.js';
import { asDate, changedRows, utcTimestamp } from './sql.js';
import type { Queryable } from './transaction.js';

export type { SecurityEventType } from '../generated/prisma/enums.js';

export interface NewSecurityEvent {
  id: string;
  userId: string;
  type: SecurityEventType;
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
  /** The session the event is about, or none. */
  sessionId: string | null;
}

export type StoredSecurityEvent = Omit<NewSecurityEvent, 'userId'>;

/** The columns of an INSERT INTO "SecurityEvent", in this order, for statements that write an event beside their own change. */
export const SECURITY_EVENT_COLUMNS = `id, "userId", type, "createdAt", ip, "userAgent", "sessionId"`;

export class SecurityEventsRepository {
  constructor(private readonly db: Database) {}

  async insert(event: NewSecurityEvent, tx: Queryable = this.db.pg): Promise<void> {
    await tx.query(
      `INSERT INTO "SecurityEvent" (${SECURITY_EVENT_COLUMNS}) VALUES ($1, $2, $3::"SecurityEventType", $4::timestamp, $5, $6, $7)`,
      [event.id, event.userId, event.type, utcTimestamp(event.createdAt), event.ip, event.userAgent, event.sessionId],
    );
  }

  /**
   * Inserts the event for the account with this email, if there is one; returns its user id, or null.
   * One statement either way, so an unknown email costs what a known one does.
   */
  async insertForEmail(email: string, event: Omit<NewSecurityEvent, 'userId'>): Promise<string | null> {
    const { rows } = await this.db.pg.query<{ userId: string }>(
      `INSERT INTO "SecurityEvent" (${SECURITY_EVENT_COLUMNS})
       SELECT $2, id, $3::"SecurityEventType", $4::timestamp, $5, $6, $7 FROM "User" WHERE email = $1
       RETURNING "userId"`,
      [email, event.id, event.type, utcTimestamp(event.createdAt), event.ip, event.userAgent, event.sessionId],
    );
    return rows[0]?.userId ?? null;
  }

  /**
   * The user's events, newest first (by time, then id), at most `limit`; with `before`, only those
   * after the user's event with that id in this order. An id that is not one of the user's events
   * (another user's, or one already deleted) gives an empty page.
   */
  async listOwned(userId: string, limit: number, before?: string): Promise<StoredSecurityEvent[]> {
    const { rows } = await this.db.pg.query<StoredSecurityEvent>(
      `SELECT id, type, ${asDate('"createdAt"')} AS "createdAt", ip, "userAgent", "sessionId"
       FROM "SecurityEvent"
       WHERE "userId" = $1
         AND ($3::uuid IS NULL OR ("createdAt", id) < (SELECT "createdAt", id FROM "SecurityEvent" WHERE id = $3 AND "userId" = $1))
       ORDER BY "createdAt" DESC, id DESC
       LIMIT $2`,
      [userId, limit, before ?? null],
    );
    return rows;
  }

  /** Deletes at most `limit` events older than `before`. */
  deleteOlderThan(before: Date, limit: number): Promise<number> {
    return changedRows(
      this.db.pg,
      `DELETE FROM "SecurityEvent" WHERE id IN (SELECT id FROM "SecurityEvent" WHERE "createdAt" < $1::timestamp LIMIT $2)`,
      [utcTimestamp(before), limit],
    );
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    securityEventsRepository: SecurityEventsRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('securityEventsRepository', new SecurityEventsRepository(fastify));
  },
  { name: 'security-events-repository', dependencies: ['database'] },
);
