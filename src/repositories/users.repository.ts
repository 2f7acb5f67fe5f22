/** Users: accounts, the bcrypt hashes of their passwords, and whether their address is verified. */
import fp from 'fastify-plugin';
import type pg from 'pg';
import { isRecordNotFound, isSqlUniqueViolation } from '../db/errors.js';
import type { Database } from '../plugins/database.js';
import { ConflictError, NotFoundError } from '../utils/errors.js';
import type { UserClock } from '../utils/user-day.js';
import type { NewSession, SessionsRepository } from './sessions.repository.js';
import { asDate, utcTimestamp } from './sql.js';
import { inTransaction, type Queryable } from './transaction.js';

/** The user object of the API. */
export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  timezone: string;
  dayStartHour: number;
  emailVerified: boolean;
  /** Whether sign-in asks for a second factor (TOTP). */
  mfaEnabled: boolean;
  createdAt: Date;
}

const publicUserFields = {
  id: true,
  email: true,
  name: true,
  timezone: true,
  dayStartHour: true,
  emailVerifiedAt: true,
  createdAt: true,
  mfaFactor: { select: { activatedAt: true } },
} as const;
const toPublicUser = ({
  emailVerifiedAt,
  mfaFactor,
  ...user
}: Omit<PublicUser, 'emailVerified' | 'mfaEnabled'> & {
  emailVerifiedAt: Date | null;
  mfaFactor: { activatedAt: Date | null } | null;
}): PublicUser => ({
  ...user,
  emailVerified: emailVerifiedAt !== null,
  mfaEnabled: Boolean(mfaFactor?.activatedAt),
});

/** The public fields in SQL. */
const PUBLIC_USER_COLUMNS = `id, email, name, timezone, "dayStartHour", "emailVerifiedAt" IS NOT NULL AS "emailVerified",
  EXISTS (SELECT 1 FROM "MfaFactor" f WHERE f."userId" = "User".id AND f."activatedAt" IS NOT NULL) AS "mfaEnabled",
  ${asDate('"createdAt"')} AS "createdAt"`;

/** What a user may change about their account (PATCH /auth/me). */
export interface UserChanges {
  name?: string | null | undefined;
  timezone?: string | undefined;
  dayStartHour?: number | undefined;
}

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string;
  name: string | null;
  timezone: string;
  createdAt: Date;
}

/** On the login's hot path, so prepared SQL on the pool like the session the login then stores. */
const USER_BY_EMAIL = `SELECT ${PUBLIC_USER_COLUMNS}, password FROM "User" WHERE email = $1`;

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
    return toPublicUser(user);
  }

  /**
   * The user with this id (or, given `{ email }`, this address), locked until the transaction ends,
   * or null: email tokens of one user are issued and used one at a time.
   */
  async lock(key: { id: string } | { email: string }, tx: Queryable): Promise<PublicUser | null> {
    const [column, value] = 'id' in key ? ['id', key.id] : ['email', key.email];
    const { rows } = await tx.query<PublicUser>(`SELECT ${PUBLIC_USER_COLUMNS} FROM "User" WHERE ${column} = $1 FOR UPDATE`, [value]);
    return rows[0] ?? null;
  }

  /** Whether an account has this address. */
  async emailTaken(email: string): Promise<boolean> {
    return (await this.db.prisma.user.count({ where: { email } })) > 0;
  }

  /** The hash of the user's password, or null when there is no such user. */
  async findPasswordHash(userId: string): Promise<string | null> {
    const user = await this.db.prisma.user.findUnique({ where: { id: userId }, select: { password: true } });
    return user?.password ?? null;
  }

  /**
   * Creates the user with their first session (if any), and whatever `alsoWrite` adds, in one
   * transaction. ConflictError when the email is taken, also by a concurrent signup: the unique
   * index decides.
   */
  async create(user: NewUser, firstSession: NewSession | null, alsoWrite?: (tx: pg.PoolClient) => Promise<void>): Promise<PublicUser> {
    try {
      await inTransaction(this.db.pg, async (tx) => {
        await tx.query(
          // "updatedAt" is Prisma's @updatedAt: the column has no default.
          `INSERT INTO "User" (id, email, password, name, timezone, "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6::timestamp, $6::timestamp)`,
          [user.id, user.email, user.passwordHash, user.name, user.timezone, utcTimestamp(user.createdAt)],
        );
        // Its `signup` event is the caller's to write (`alsoWrite`), with or without a session.
        if (firstSession) await this.sessions.create(firstSession, null, tx);
        await alsoWrite?.(tx);
      });
    } catch (error) {
      throw isSqlUniqueViolation(error) ? new ConflictError('User already exists') : error;
    }
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      timezone: user.timezone,
      dayStartHour: 0,
      emailVerified: false,
      mfaEnabled: false,
      createdAt: user.createdAt,
    };
  }

  /** What decides the user's day, or null when the user is gone. */
  clock(userId: string): Promise<UserClock | null> {
    return this.db.prisma.user.findUnique({ where: { id: userId }, select: { timezone: true, dayStartHour: true } });
  }

  /** NotFoundError when there is no such user. */
  async update(userId: string, changes: UserChanges): Promise<PublicUser> {
    const user = await this.orNotFound(() =>
      this.db.prisma.user.update({
        where: { id: userId },
        data: { name: changes.name, timezone: changes.timezone, dayStartHour: changes.dayStartHour },
        select: publicUserFields,
      }),
    );
    return toPublicUser(user);
  }

  /**
   * Sets the password hash; with `verifyEmail`, the address counts as verified too (a reset proved it).
   * Pending two-factor sign-ins, started with the old password, end with it.
   */
  async setPasswordHash(userId: string, passwordHash: string, options: { verifyEmail: boolean; now: Date }, tx: Queryable): Promise<void> {
    await tx.query(
      `UPDATE "User" SET password = $2, "updatedAt" = $3::timestamp,
         "emailVerifiedAt" = CASE WHEN $4 THEN COALESCE("emailVerifiedAt", $3::timestamp) ELSE "emailVerifiedAt" END
       WHERE id = $1`,
      [userId, passwordHash, utcTimestamp(options.now), options.verifyEmail],
    );
    await tx.query(`DELETE FROM "MfaChallenge" WHERE "userId" = $1`, [userId]);
  }

  /** Marks the address verified, if it is still the user's; returns the user. */
  async markEmailVerified(userId: string, email: string, now: Date, tx: Queryable): Promise<PublicUser | null> {
    const { rows } = await tx.query<PublicUser>(
      `UPDATE "User" SET "emailVerifiedAt" = COALESCE("emailVerifiedAt", $3::timestamp), "updatedAt" = $3::timestamp
       WHERE id = $1 AND email = $2 RETURNING ${PUBLIC_USER_COLUMNS}`,
      [userId, email, utcTimestamp(now)],
    );
    return rows[0] ?? null;
  }

  /** Switches the user to a confirmed new address; ConflictError when another account has it. */
  async changeEmail(userId: string, email: string, now: Date, tx: Queryable): Promise<PublicUser> {
    try {
      const { rows } = await tx.query<PublicUser>(
        `UPDATE "User" SET email = $2, "emailVerifiedAt" = $3::timestamp, "updatedAt" = $3::timestamp WHERE id = $1 RETURNING ${PUBLIC_USER_COLUMNS}`,
        [userId, email, utcTimestamp(now)],
      );
      if (!rows[0]) throw new NotFoundError();
      return rows[0];
    } catch (error) {
      throw isSqlUniqueViolation(error) ? new ConflictError('User already exists') : error;
    }
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
