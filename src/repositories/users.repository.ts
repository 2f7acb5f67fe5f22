/** Users: accounts and the bcrypt hashes of their passwords. */
import fp from 'fastify-plugin';
import type { Prisma } from '../db/client.js';
import { isRecordNotFound, isSqlUniqueViolation } from '../db/errors.js';
import type { Database } from '../plugins/database.js';
import { ConflictError, NotFoundError } from '../utils/errors.js';
import type { NewSession, SessionsRepository } from './sessions.repository.js';
import { asDate, utcTimestamp } from './sql.js';

export const publicUserFields = { id: true, email: true, name: true, timezone: true, createdAt: true } as const;
export type PublicUser = Prisma.UserGetPayload<{ select: typeof publicUserFields }>;

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string;
  name: string | null;
  timezone: string;
  createdAt: Date;
}

/** On the login's hot path, so prepared SQL on the pool like the session the login then stores. */
const USER_BY_EMAIL = `SELECT id, email, name, timezone, ${asDate('"createdAt"')} AS "createdAt", password FROM "User" WHERE email = $1`;

export class UsersRepository {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionsRepository,
  ) {}

  /** The user with this email and the hash of their password, or null. */
  async findByEmail(email: string): Promise<(PublicUser & { password: string }) | null> {
    const { rows } = await this.db.pg.query<PublicUser & { password: string }>({
      name: 'user-by-email',
      text: USER_BY_EMAIL,
      values: [email],
    });
    return rows[0] ?? null;
  }

  /** NotFoundError when there is no such user. */
  async findById(userId: string): Promise<PublicUser> {
    const user = await this.db.prisma.user.findUnique({ where: { id: userId }, select: publicUserFields });
    if (!user) throw new NotFoundError();
    return user;
  }

  /** The hash of the user's password, or null when there is no such user. */
  async findPasswordHash(userId: string): Promise<string | null> {
    const user = await this.db.prisma.user.findUnique({ where: { id: userId }, select: { password: true } });
    return user?.password ?? null;
  }

  /**
   * Creates the user with their first session, in one transaction. ConflictError when the email is
   * taken, also by a concurrent signup: the unique index decides.
   */
  async create(user: NewUser, firstSession: NewSession): Promise<PublicUser> {
    const client = await this.db.pg.connect();
    let usable = true;
    try {
      await client.query('BEGIN');
      await client.query(
        // "updatedAt" is Prisma's @updatedAt: the column has no default.
        `INSERT INTO "User" (id, email, password, name, timezone, "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6::timestamp, $6::timestamp)`,
        [user.id, user.email, user.passwordHash, user.name, user.timezone, utcTimestamp(user.createdAt)],
      );
      await this.sessions.create(firstSession, client);
      await client.query('COMMIT');
    } catch (error) {
      // A connection that cannot even roll back is dropped rather than reused.
      usable = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      throw isSqlUniqueViolation(error) ? new ConflictError('User already exists') : error;
    } finally {
      client.release(!usable);
    }
    return { id: user.id, email: user.email, name: user.name, timezone: user.timezone, createdAt: user.createdAt };
  }

  /** NotFoundError when there is no such user. */
  async update(userId: string, changes: { name?: string | null | undefined; timezone?: string | undefined }): Promise<PublicUser> {
    return this.orNotFound(() =>
      this.db.prisma.user.update({
        where: { id: userId },
        data: { name: changes.name, timezone: changes.timezone },
        select: publicUserFields,
      }),
    );
  }

  /** NotFoundError when there is no such user. */
  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.orNotFound(() =>
      this.db.prisma.user.update({ where: { id: userId }, data: { password: passwordHash }, select: { id: true } }),
    );
  }

  /** Replaces the hash only while it is still `currentHash`: a password changed meanwhile wins. */
  async replacePasswordHash(userId: string, currentHash: string, passwordHash: string): Promise<void> {
    await this.db.prisma.user.updateMany({ where: { id: userId, password: currentHash }, data: { password: passwordHash } });
  }

  /**
   * Deletes the user and, by cascade, everything they own; returns the ids of the sessions deleted
   * with them. NotFoundError when there is no such user.
   */
  async delete(userId: string): Promise<string[]> {
    const sessions = await this.db.prisma.session.findMany({ where: { userId }, select: { id: true } });
    await this.orNotFound(() => this.db.prisma.user.delete({ where: { id: userId }, select: { id: true } }));
    return sessions.map((session) => session.id);
  }

  private async orNotFound<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      throw isRecordNotFound(error) ? new NotFoundError() : error;
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    usersRepository: UsersRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('usersRepository', new UsersRepository(fastify, fastify.sessionsRepository));
  },
  { name: 'users-repository', dependencies: ['database', 'sessions-repository'] },
);
