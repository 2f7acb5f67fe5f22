/**
 * Accounts: signup (with the account's first session and the verification email), the profile, the
 * password and deletion. A password is checked in about the same time whether or not its email
 * exists, and a hash made at a lower cost than BCRYPT_ROUNDS is replaced at the next sign-in, while
 * the password is at hand. With REQUIRE_EMAIL_VERIFICATION, signup starts no session and an
 * unverified account cannot sign in (403, told only to whoever knows the password).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { isTooCommon, PASSWORD_TOO_COMMON } from '../auth/password-policy.js';
import { bcryptCost, exceedsBcryptLimit, type PasswordHasher } from '../auth/passwords.js';
import type { TokenPair } from '../auth/tokens.js';
import type { Transactions } from '../repositories/transaction.js';
import type { PublicUser, UserChanges, UsersRepository } from '../repositories/users.repository.js';
import { BadRequestError, ForbiddenError, UnauthorizedError } from '../utils/errors.js';
import type { EmailTokenService } from './email-token.service.js';
import type { MailService } from './mail.service.js';
import type { SecurityEventService } from './security-event.service.js';
import { INVALID_CREDENTIALS, type ClientContext, type SessionService } from './session.service.js';

export interface SignupInput {
  email: string;
  password: string;
  name?: string | undefined;
  timezone?: string | undefined;
}

export type SignupResult = ({ user: PublicUser } & TokenPair) | { user: PublicUser; verificationRequired: true };

export interface AccountServiceDeps {
  users: UsersRepository;
  sessions: SessionService;
  passwords: PasswordHasher;
  transactions: Transactions;
  emailTokens: EmailTokenService;
  mail: MailService;
  events: SecurityEventService;
}

export class AccountService {
  private readonly users: UsersRepository;
  private readonly sessions: SessionService;
  private readonly passwords: PasswordHasher;

  constructor(
    private readonly deps: AccountServiceDeps,
    /** A bcrypt hash made at BCRYPT_ROUNDS, compared against when the email is unknown. */
    readonly dummyHash: string,
    private readonly requireEmailVerification: boolean,
  ) {
    ({ users: this.users, sessions: this.sessions, passwords: this.passwords } = deps);
  }

  /** Creates the account, its first session (unless verification is required first) and the verification email. ConflictError when the email is taken. */
  async signup(input: SignupInput, context: ClientContext): Promise<SignupResult> {
    if (isTooCommon(input.password, input.email)) throw new BadRequestError(PASSWORD_TOO_COMMON);
    const passwordHash = await this.passwords.hash(input.password);
    const userId = randomUUID();
    const opened = this.requireEmailVerification ? null : this.sessions.open({ id: userId, email: input.email }, context);
    const newUser = {
      id: userId,
      email: input.email,
      passwordHash,
      name: input.name ?? null,
      timezone: input.timezone ?? 'UTC',
      createdAt: opened?.session.createdAt ?? new Date(),
    };
    const user = await this.users.create(newUser, opened?.session ?? null, async (tx) => {
      await this.deps.emailTokens.issue(newUser, 'verify_email', newUser.email, tx, newUser.createdAt);
      await this.deps.events.record('signup', userId, opened?.session.id ?? null, context, tx);
    });
    return opened ? { user, ...opened.tokens } : { user, verificationRequired: true };
  }

  /** The user whose password this is; UnauthorizedError otherwise, in about the same time either way. */
  async authenticate(email: string, password: string, context: ClientContext): Promise<PublicUser> {
    const found = await this.users.findByEmail(email);
    const matches = await this.passwords.verify(password, found?.password ?? this.dummyHash);
    if (!found || !matches || exceedsBcryptLimit(password)) {
      // A `login_failed` event for an existing account only, by a statement that runs for unknown emails too.
      await this.deps.events.recordLoginFailed(email, context);
      throw new UnauthorizedError(INVALID_CREDENTIALS);
    }
    const { password: storedHash, ...user } = found;
    await this.upgradePasswordHash(user.id, storedHash, password);
    return user;
  }

  /** With REQUIRE_EMAIL_VERIFICATION, ForbiddenError for an account whose address is not verified yet. */
  requireSignInAllowed(user: PublicUser): void {
    if (this.requireEmailVerification && !user.emailVerified) throw new ForbiddenError('Email not verified');
  }

  getUser(userId: string): Promise<PublicUser> {
    return this.users.findById(userId);
  }

  updateUser(userId: string, changes: UserChanges): Promise<PublicUser> {
    return this.users.update(userId, changes);
  }

  /** Deletes the account and, by cascade, everything it owns. */
  async deleteAccount(userId: string, password: string): Promise<void> {
    await this.requirePassword(userId, password);
    this.sessions.forget(await this.users.delete(userId));
  }

  /** Changes the password, cancels outstanding email tokens, sends the notice and revokes every other session. */
  async changePassword(
    userId: string,
    currentSessionId: string,
    currentPassword: string,
    newPassword: string,
    context: ClientContext,
  ): Promise<void> {
    await this.requirePassword(userId, currentPassword);
    if (isTooCommon(newPassword, (await this.users.findById(userId)).email)) throw new BadRequestError(PASSWORD_TOO_COMMON);
    const passwordHash = await this.passwords.hash(newPassword);
    await this.deps.transactions.run(async (tx) => {
      const user = await this.users.lock({ id: userId }, tx);
      if (!user) throw new UnauthorizedError(INVALID_CREDENTIALS);
      await this.users.setPasswordHash(userId, passwordHash, { verifyEmail: false, now: new Date() }, tx);
      await this.deps.emailTokens.cancelAll(userId, tx);
      await this.deps.mail.enqueue({ kind: 'password-changed', to: user.email, name: user.name }, tx);
      await this.deps.events.record('password_changed', userId, currentSessionId, context, tx);
    });
    await this.sessions.revokeOtherSessions(userId, currentSessionId);
  }

  /** UnauthorizedError unless `password` is the user's. */
  async requirePassword(userId: string, password: string): Promise<void> {
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

export default fp<{ requireEmailVerification: boolean }>(
  async (fastify, { requireEmailVerification }) => {
    // Made before the app is ready, at BCRYPT_ROUNDS: an unknown email then costs what a known one does.
    const dummyHash = await fastify.passwords.hash(randomBytes(16).toString('hex'));
    const deps: AccountServiceDeps = {
      users: fastify.usersRepository,
      sessions: fastify.sessionService,
      passwords: fastify.passwords,
      transactions: fastify.transactions,
      emailTokens: fastify.emailTokenService,
      mail: fastify.mailService,
      events: fastify.securityEventService,
    };
    fastify.decorate('accountService', new AccountService(deps, dummyHash, requireEmailVerification));
  },
  {
    name: 'account-service',
    dependencies: [
      'users-repository',
      'session-service',
      'passwords',
      'transactions',
      'email-token-service',
      'mail-service',
      'security-event-service',
    ],
  },
);
