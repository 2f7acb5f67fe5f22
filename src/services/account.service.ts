/**
 * Accounts: signup (with the account's first session), the profile, the password and deletion. A
 * password is checked in about the same time whether or not its email exists, and a hash made at a
 * lower cost than BCRYPT_ROUNDS is replaced at the next sign-in, while the password is at hand.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { bcryptCost, exceedsBcryptLimit, type PasswordHasher } from '../auth/passwords.js';
import type { TokenPair } from '../auth/tokens.js';
import type { PublicUser, UsersRepository } from '../repositories/users.repository.js';
import { UnauthorizedError } from '../utils/errors.js';
import { INVALID_CREDENTIALS, type ClientContext, type SessionService } from './session.service.js';

export interface SignupInput {
  email: string;
  password: string;
  name?: string | undefined;
  timezone?: string | undefined;
}

export class AccountService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionService,
    private readonly passwords: PasswordHasher,
    /** A bcrypt hash made at BCRYPT_ROUNDS, compared against when the email is unknown. */
    readonly dummyHash: string,
  ) {}

  /** ConflictError when the email is taken. */
  async signup(input: SignupInput, context: ClientContext): Promise<{ user: PublicUser } & TokenPair> {
    const passwordHash = await this.passwords.hash(input.password);
    const userId = randomUUID();
    const { session, tokens } = this.sessions.open({ id: userId, email: input.email }, context);
    const user = await this.users.create(
      {
        id: userId,
        email: input.email,
        passwordHash,
        name: input.name ?? null,
        timezone: input.timezone ?? 'UTC',
        createdAt: session.createdAt,
      },
      session,
    );
    return { user, ...tokens };
  }

  /** The user whose password this is; UnauthorizedError otherwise, in about the same time either way. */
  async authenticate(email: string, password: string): Promise<PublicUser> {
    const user = await this.users.findByEmail(email);
    const matches = await this.passwords.verify(password, user?.password ?? this.dummyHash);
    if (!user || !matches || exceedsBcryptLimit(password)) throw new UnauthorizedError(INVALID_CREDENTIALS);
    await this.upgradePasswordHash(user.id, user.password, password);
    return { id: user.id, email: user.email, name: user.name, timezone: user.timezone, createdAt: user.createdAt };
  }

  getUser(userId: string): Promise<PublicUser> {
    return this.users.findById(userId);
  }

  updateUser(userId: string, changes: { name?: string | null | undefined; timezone?: string | undefined }): Promise<PublicUser> {
    return this.users.update(userId, changes);
  }

  /** Deletes the account and, by cascade, everything it owns. */
  async deleteAccount(userId: string, password: string): Promise<void> {
    await this.requirePassword(userId, password);
    this.sessions.forget(await this.users.delete(userId));
  }

  /** Changes the password and revokes every other session. */
  async changePassword(userId: string, currentSessionId: string, currentPassword: string, newPassword: string): Promise<void> {
    await this.requirePassword(userId, currentPassword);
    await this.users.setPasswordHash(userId, await this.passwords.hash(newPassword));
    await this.sessions.revokeOtherSessions(userId, currentSessionId);
  }

  private async requirePassword(userId: string, password: string): Promise<void> {
    const hash = await this.users.findPasswordHash(userId);
    const matches = hash === null ? false : await this.passwords.verify(password, hash);
    if (!matches || exceedsBcryptLimit(password)) throw new UnauthorizedError(INVALID_CREDENTIALS);
  }

  /** A hash made at a lower cost than BCRYPT_ROUNDS is replaced, now that the password is at hand. */
  private async upgradePasswordHash(userId: string, storedHash: string, password: string): Promise<void> {
    const cost = bcryptCost(storedHash);
    if (cost === null || cost >= this.passwords.rounds) return;
    // Only over the hash just checked: a password changed meanwhile wins.
    await this.users.replacePasswordHash(userId, storedHash, await this.passwords.hash(password));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    accountService: AccountService;
  }
}

export default fp(
  async (fastify) => {
    // Made before the app is ready, at BCRYPT_ROUNDS: an unknown email then costs what a known one does.
    const dummyHash = await fastify.passwords.hash(randomBytes(16).toString('hex'));
    fastify.decorate('accountService', new AccountService(fastify.usersRepository, fastify.sessionService, fastify.passwords, dummyHash));
  },
  { name: 'account-service', dependencies: ['users-repository', 'session-service', 'passwords'] },
);
