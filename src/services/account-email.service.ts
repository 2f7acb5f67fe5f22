/**
 * The account flows that go through the user's mailbox: password reset, address verification and
 * address change (the contract's "Email" section). Tokens and codes follow EmailTokenService's rules;
 * each email is queued in the same transaction as the change it belongs with.
 *
 * Requests that name an address which may have no account (forgot-password, resend without an
 * access token) only queue an `email-request` job and answer 202: the same work, in about the same
 * time, whether or not the account exists. The job then issues the token if there is one to issue.
 */
import fp from 'fastify-plugin';
import { isTooCommon, PASSWORD_TOO_COMMON } from '../auth/password-policy.js';
import type { PasswordHasher } from '../auth/passwords.js';
import type { JobQueue } from '../jobs/queue.js';
import type { EmailTokenPurpose } from '../repositories/email-tokens.repository.js';
import type { SessionsRepository } from '../repositories/sessions.repository.js';
import type { Transactions } from '../repositories/transaction.js';
import type { PublicUser, UsersRepository } from '../repositories/users.repository.js';
import { BadRequestError, ConflictError, UnauthorizedError } from '../utils/errors.js';
import type { AccountService } from './account.service.js';
import type { EmailProof, EmailTokenService } from './email-token.service.js';
import type { MailService } from './mail.service.js';
import type { SecurityEventService } from './security-event.service.js';
import type { ClientContext, SessionService } from './session.service.js';

export const INVALID_EMAIL_TOKEN = 'Invalid or expired token';

/** A request about an address that may have no account, handled by the `email-request` worker. */
interface EmailRequest {
  kind: 'reset-password' | 'verify-email';
  email: string;
  /** Who asked, for the `password_reset_requested` event (missing from jobs queued before it existed). */
  context?: ClientContext;
}

const VERIFY_PURPOSES: EmailTokenPurpose[] = ['verify_email', 'change_email'];
const POLLING_INTERVAL_SECONDS = 1;

export class AccountEmailService {
  constructor(
    private readonly deps: {
      transactions: Transactions;
      users: UsersRepository;
      sessions: SessionsRepository;
      tokens: EmailTokenService;
      mail: MailService;
      queue: JobQueue;
      passwords: PasswordHasher;
      accounts: AccountService;
      sessionService: SessionService;
      events: SecurityEventService;
    },
  ) {}

  /** POST /auth/password/forgot: queues the request; a reset email goes out if the account exists. */
  async requestPasswordReset(email: string, context: ClientContext): Promise<void> {
    await this.deps.queue.send('email-request', { kind: 'reset-password', email, context } satisfies EmailRequest);
  }

  /** POST /auth/email/verify/resend without an access token: a new link if the account exists and is unverified. */
  async requestVerification(email: string): Promise<void> {
    await this.deps.queue.send('email-request', { kind: 'verify-email', email } satisfies EmailRequest);
  }

  /** POST /auth/email/verify/resend with an access token. */
  async resendVerification(userId: string): Promise<void> {
    await this.deps.transactions.run(async (tx) => {
      const user = await this.deps.users.lock({ id: userId }, tx);
      if (!user) throw new UnauthorizedError('Session is no longer active');
      if (user.emailVerified) throw new ConflictError('Email already verified');
      await this.deps.tokens.issue(user, 'verify_email', user.email, tx);
    });
  }

  /**
   * Replaces the password (already validated like signup's) of the token's user, counts their address
   * as verified, cancels their other tokens, revokes every session and sends the notice.
   */
  async resetPassword(proof: EmailProof, newPassword: string, context: ClientContext): Promise<void> {
    // Checked before hashing: a bad token costs no hash, and a refused password leaves the token usable.
    const email = await this.deps.tokens.addressOf(proof, ['reset_password']);
    if (email === null) throw new BadRequestError(INVALID_EMAIL_TOKEN);
    if (isTooCommon(newPassword, email)) throw new BadRequestError(PASSWORD_TOO_COMMON);
    const passwordHash = await this.deps.passwords.hash(newPassword);
    const now = new Date();
    const revoked = await this.deps.transactions.run(async (tx) => {
      const token = await this.deps.tokens.use(proof, ['reset_password'], 'reset_password', tx);
      if (!token) return null;
      const user = await this.deps.users.lock({ id: token.userId }, tx);
      if (!user) return null;
      await this.deps.users.setPasswordHash(user.id, passwordHash, { verifyEmail: true, now }, tx);
      await this.deps.tokens.cancelAll(user.id, tx);
      await this.deps.mail.enqueue({ kind: 'password-changed', to: user.email, name: user.name }, tx);
      const revokedIds = await this.deps.sessions.revokeAllOfUser(user.id, now, tx);
      await this.deps.events.record('password_reset', user.id, null, context, tx);
      return revokedIds;
    });
    if (!revoked) throw new BadRequestError(INVALID_EMAIL_TOKEN);
    this.deps.sessionService.forget(revoked);
  }

  /**
   * Verifies the address the token was sent to. An email-change token also needs the same user's
   * access token (`caller`): it then switches the account to the new address and tells the old one.
   * With another user's access token, any token is refused (401).
   */
  async verifyEmail(proof: EmailProof, caller: { userId: string; sid: string } | undefined, context: ClientContext): Promise<PublicUser> {
    const callerId = caller?.userId;
    const user = await this.deps.transactions.run(async (tx) => {
      const token = await this.deps.tokens.use(proof, VERIFY_PURPOSES, 'verify_email', tx);
      if (!token) return null;
      // Throwing rolls the use back: the token stays valid for its owner. Sent with another user's
      // access token, no token is used (nor its owner's profile shown).
      if (callerId !== undefined && callerId !== token.userId) throw new UnauthorizedError('This token belongs to another account');
      if (token.purpose === 'verify_email') {
        const verified = await this.deps.users.markEmailVerified(token.userId, token.email, new Date(), tx);
        if (verified) await this.deps.events.record('email_verified', verified.id, caller?.sid ?? null, context, tx);
        return verified;
      }
      if (callerId === undefined) throw new UnauthorizedError('Confirming a new address needs the access token of its account');
      const previous = await this.deps.users.lock({ id: token.userId }, tx);
      if (!previous) return null;
      const changed = await this.deps.users.changeEmail(previous.id, token.email, new Date(), tx);
      await this.deps.tokens.cancelAll(previous.id, tx);
      await this.deps.mail.enqueue({ kind: 'email-changed', to: previous.email, name: previous.name, newEmail: changed.email }, tx);
      await this.deps.events.record('email_changed', changed.id, caller?.sid ?? null, context, tx);
      return changed;
    });
    if (!user) throw new BadRequestError(INVALID_EMAIL_TOKEN);
    return user;
  }

  /** POST /auth/email/change: sends a confirmation to the new address; the account changes once it is confirmed. */
  async requestEmailChange(userId: string, newEmail: string, password: string): Promise<void> {
    await this.deps.accounts.requirePassword(userId, password);
    if (await this.deps.users.emailTaken(newEmail)) throw new ConflictError('User already exists');
    await this.deps.transactions.run(async (tx) => {
      const user = await this.deps.users.lock({ id: userId }, tx);
      if (!user) throw new UnauthorizedError('Session is no longer active');
      await this.deps.tokens.issue(user, 'change_email', newEmail, tx);
    });
  }

  /** Registers the worker of `email-request` jobs. */
  startWorker(): void {
    this.deps.queue.work('email-request', POLLING_INTERVAL_SECONDS, async ({ kind, email, context }: EmailRequest) => {
      await this.deps.transactions.run(async (tx) => {
        const user = await this.deps.users.lock({ email }, tx);
        if (!user) return;
        if (kind === 'reset-password') {
          await this.deps.tokens.issue(user, 'reset_password', user.email, tx);
          await this.deps.events.record('password_reset_requested', user.id, null, context ?? {}, tx);
        } else if (!user.emailVerified) await this.deps.tokens.issue(user, 'verify_email', user.email, tx);
      });
    });
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    accountEmailService: AccountEmailService;
  }
}

export default fp(
  async (fastify) => {
    const service = new AccountEmailService({
      transactions: fastify.transactions,
      users: fastify.usersRepository,
      sessions: fastify.sessionsRepository,
      tokens: fastify.emailTokenService,
      mail: fastify.mailService,
      queue: fastify.jobQueue,
      passwords: fastify.passwords,
      accounts: fastify.accountService,
      sessionService: fastify.sessionService,
      events: fastify.securityEventService,
    });
    service.startWorker();
    fastify.decorate('accountEmailService', service);
  },
  {
    name: 'account-email-service',
    dependencies: [
      'transactions',
      'users-repository',
      'sessions-repository',
      'email-token-service',
      'mail-service',
      'job-queue',
      'passwords',
      'account-service',
      'session-service',
      'security-event-service',
    ],
  },
);
