/**
 * Two-factor sign-in with TOTP (RFC 6238, src/auth/totp.ts). Enrolment needs the password and a
 * verified address, and leaves a pending factor; the first code activates it, returns 10 single-use
 * recovery codes (stored hashed), raises the current session to aal 2 and revokes the others. Then a
 * password sign-in answers `{ mfaRequired, mfaToken }` (5 minutes, single use, dead after 5 wrong
 * codes) and `verify` issues the tokens of an aal-2 session.
 *
 * A TOTP step accepted once for a user is refused again (replay), also between concurrent requests
 * (MfaRepository.acceptStep). Every wrong TOTP or recovery code counts as a failed sign-in of the
 * address (the login throttle), so codes cannot be guessed through fresh `mfaToken`s; only a sign-in
 * that issues tokens resets the count. The TOTP secret is sealed at rest (AES-256-GCM, a key derived
 * from MFA_ENCRYPTION_KEY), never logged, and returned only by enrolment.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createSealedBox, type SealedBox } from '../auth/sealed-box.js';
import type { TokenPair } from '../auth/tokens.js';
import { enrolment, matchStep, newTotpSecret } from '../auth/totp.js';
import type { MfaRepository, StoredFactor } from '../repositories/mfa.repository.js';
import type { SessionsRepository } from '../repositories/sessions.repository.js';
import type { Transactions } from '../repositories/transaction.js';
import type { PublicUser, UsersRepository } from '../repositories/users.repository.js';
import { BadRequestError, ConflictError, ForbiddenError, ServiceUnavailableError, UnauthorizedError } from '../utils/errors.js';
import type { AccountService } from './account.service.js';
import type { LoginThrottleService } from './login-throttle.service.js';
import type { SecurityEventService } from './security-event.service.js';
import type { MailService } from './mail.service.js';
import type { ClientContext, SessionService } from './session.service.js';

export const MFA_REQUIRED = 'Two-factor authentication required';
const INVALID_MFA_TOKEN = 'Invalid or expired MFA token';
const MFA_NOT_ON = 'Two-factor authentication is not on';
const CHALLENGE_TTL_MS = 5 * 60_000;
const MAX_CHALLENGE_FAILURES = 5;
const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A TOTP code, or a recovery code. */
export type SecondFactor = { code: string } | { recoveryCode: string };

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
/** Recovery codes are compared without case or dashes, as people type them. */
const normaliseRecoveryCode = (code: string): string => code.replace(/[\s-]/g, '').toUpperCase();

/** `XXXXX-XXXXX` from an alphabet without look-alikes (0/O, 1/I): 50 bits. */
function newRecoveryCode(): string {
  const chars = [...randomBytes(10)].map((byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export interface MfaServiceDeps {
  mfa: MfaRepository;
  users: UsersRepository;
  sessionsRepository: SessionsRepository;
  accounts: AccountService;
  sessions: SessionService;
  throttle: LoginThrottleService;
  transactions: Transactions;
  mail: MailService;
  events: SecurityEventService;
}

export class MfaService {
  private readonly box: SealedBox;

  constructor(
    private readonly deps: MfaServiceDeps,
    encryptionKey: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.box = createSealedBox(encryptionKey, 'habit-tracker totp secrets');
  }

  /** POST /auth/mfa/totp: a pending factor (replacing a pending one), and what an authenticator app scans. */
  async enrol(userId: string, password: string): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
    await this.deps.accounts.requirePassword(userId, password);
    const user = await this.deps.users.findById(userId);
    if (!user.emailVerified) throw new ForbiddenError('Email not verified');
    const secret = newTotpSecret();
    if (!(await this.deps.mfa.savePending(userId, this.box.seal(secret), new Date()))) {
      throw new ConflictError('Two-factor authentication is already on');
    }
    return { secret, ...(await enrolment(secret, user.email)) };
  }

  /** POST /auth/mfa/totp/activate: the first code turns it on (see the module comment). */
  async activate(user: { userId: string; sid: string }, code: string, context: ClientContext): Promise<{ recoveryCodes: string[] }> {
    const factor = await this.deps.mfa.findFactor(user.userId);
    if (!factor || factor.active) throw new BadRequestError('No pending two-factor enrolment: start with POST /auth/mfa/totp');
    const address = await this.throttledAddress(user.userId, context);
    const now = new Date();
    const step = matchStep(this.secretOf(factor), code, now);
    const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    const activated =
      step !== null &&
      (await this.deps.transactions.run(async (tx) => {
        const owner = await this.deps.users.lock({ id: user.userId }, tx);
        if (!owner || !(await this.deps.mfa.acceptStep(user.userId, step, { activate: true, now }, tx))) return null;
        await this.deps.mfa.replaceRecoveryCodes(user.userId, recoveryCodes.map(normaliseRecoveryCode).map(sha256), now, tx);
        await this.deps.sessionsRepository.setAal(user.sid, 2, tx);
        await this.deps.mail.enqueue({ kind: 'mfa-enabled', to: owner.email, name: owner.name }, tx);
        await this.deps.events.record('mfa_enabled', user.userId, user.sid, context, tx);
        return owner;
      }));
    if (!activated) {
      await this.countWrongCode(address, user, context);
      throw new BadRequestError('Invalid code');
    }
    await this.deps.sessions.revokeOtherSessions(user.userId, user.sid);
    return { recoveryCodes };
  }

  /** DELETE /auth/mfa/totp (an aal-2 session): the password and a code or recovery code. */
  async disable(user: { userId: string; sid: string }, password: string, factor: SecondFactor, context: ClientContext): Promise<void> {
    await this.deps.accounts.requirePassword(user.userId, password);
    await this.requireSecondFactor(user, factor, context);
    await this.deps.transactions.run(async (tx) => {
      const owner = await this.deps.users.lock({ id: user.userId }, tx);
      await this.deps.mfa.deleteFactor(user.userId, tx);
      if (owner) await this.deps.mail.enqueue({ kind: 'mfa-disabled', to: owner.email, name: owner.name }, tx);
      await this.deps.events.record('mfa_disabled', user.userId, user.sid, context, tx);
    });
  }

  /** POST /auth/mfa/recovery-codes: a new set of 10, for a current TOTP code; the old set is dead. */
  async regenerateRecoveryCodes(
    user: { userId: string; sid: string },
    code: string,
    context: ClientContext,
  ): Promise<{ recoveryCodes: string[] }> {
    await this.requireSecondFactor(user, { code }, context);
    const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await this.deps.transactions.run((tx) =>
      this.deps.mfa.replaceRecoveryCodes(user.userId, recoveryCodes.map(normaliseRecoveryCode).map(sha256), new Date(), tx),
    );
    return { recoveryCodes };
  }

  /**
   * For the sensitive routes (change-password, email change, account deletion, turning two-factor
   * sign-in off): ForbiddenError when the user has it on and this session did not use it (aal 1).
   */
  async requireStepUp(sessionId: string): Promise<void> {
    const state = await this.deps.sessionsRepository.stepUpState(sessionId);
    if (state?.mfaOn && state.aal < 2) throw new ForbiddenError(MFA_REQUIRED);
  }

  /** Whether `user` signs in with a second factor: then the login answers a challenge instead of tokens. */
  async isOn(userId: string): Promise<boolean> {
    return (await this.deps.mfa.findFactor(userId))?.active ?? false;
  }

  /** The login's answer for a user with two-factor sign-in on. */
  async challenge(userId: string): Promise<{ mfaRequired: true; mfaToken: string }> {
    const mfaToken = randomBytes(32).toString('base64url');
    const now = new Date();
    await this.deps.mfa.createChallenge({
      id: randomUUID(),
      tokenHash: sha256(mfaToken),
      userId,
      now,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
    });
    return { mfaRequired: true, mfaToken };
  }

  /** POST /auth/mfa/verify: the tokens of a new aal-2 session, for a live `mfaToken` and a right code. */
  async verify(mfaToken: string, factor: SecondFactor, context: ClientContext): Promise<{ user: PublicUser } & TokenPair> {
    const now = new Date();
    const tokenHash = sha256(mfaToken);
    const pending = await this.deps.mfa.findChallengeUser(tokenHash);
    if (!pending) throw new UnauthorizedError(INVALID_MFA_TOKEN);
    const user = await this.deps.users.findById(pending.userId);
    // Counted as a failed sign-in until it issues tokens (429 while the address is throttled, trying nothing).
    return this.deps.throttle.guard(user.email, context.throttleKey ?? 'unknown', async () => {
      // One of the challenge's 5 attempts, taken before the code is checked.
      const challenge = await this.deps.mfa.takeChallengeAttempt(tokenHash, MAX_CHALLENGE_FAILURES, now);
      if (!challenge) throw new UnauthorizedError(INVALID_MFA_TOKEN);
      if (!(await this.matches(user.id, await this.deps.mfa.findFactor(user.id), factor, now))) {
        await this.deps.events.record('mfa_failed', user.id, null, context);
        throw new UnauthorizedError('Invalid code');
      }
      if (!(await this.deps.mfa.useChallenge(challenge.id, now))) throw new UnauthorizedError(INVALID_MFA_TOKEN);
      return this.deps.sessions.login(user, context, 2);
    });
  }

  /**
   * UnauthorizedError (counted by the throttle) unless `factor` is a right code of the user's active
   * factor; TooManyRequestsError, checking nothing, while the address is throttled.
   */
  private async requireSecondFactor(user: { userId: string; sid: string }, factor: SecondFactor, context: ClientContext): Promise<void> {
    const stored = await this.deps.mfa.findFactor(user.userId);
    if (!stored?.active) throw new BadRequestError(MFA_NOT_ON);
    const address = await this.throttledAddress(user.userId, context);
    if (!(await this.matches(user.userId, stored, factor, new Date()))) {
      await this.countWrongCode(address, user, context);
      throw new UnauthorizedError('Invalid code');
    }
  }

  /** The user's address, the login throttle's key: TooManyRequestsError, checking nothing, while it is throttled. */
  private async throttledAddress(userId: string, context: ClientContext): Promise<string> {
    const { email } = await this.deps.users.findById(userId);
    await this.deps.throttle.assertNotBlocked(email, context.throttleKey ?? 'unknown');
    return email;
  }

  /** Whether `factor` is a TOTP code of a step not used before, or an unused recovery code, of the active `stored` factor; using it. */
  private async matches(userId: string, stored: StoredFactor | null, factor: SecondFactor, now: Date): Promise<boolean> {
    if (!stored?.active) return false;
    if ('recoveryCode' in factor) return this.deps.mfa.useRecoveryCode(userId, sha256(normaliseRecoveryCode(factor.recoveryCode)), now);
    const step = matchStep(this.secretOf(stored), factor.code, now);
    return step !== null && (await this.deps.mfa.acceptStep(userId, step, { activate: false, now }));
  }

  /**
   * The user's TOTP secret. It cannot be opened when MFA_ENCRYPTION_KEY changed since enrolment: a
   * 503 (logged once per attempt), not a wrong code counted against the user.
   */
  private secretOf(factor: { secretEncrypted: string }): string {
    try {
      return this.box.open(factor.secretEncrypted);
    } catch {
      this.log.error('a TOTP secret cannot be opened: was MFA_ENCRYPTION_KEY changed? (recovery codes still work)');
      throw new ServiceUnavailableError('Two-factor sign-in is unavailable: use a recovery code');
    }
  }

  /** A wrong code on a signed-in route counts as a failed sign-in of the account's address. */
  private async countWrongCode(address: string, user: { userId: string; sid: string }, context: ClientContext): Promise<void> {
    await this.deps.events.record('mfa_failed', user.userId, user.sid, context);
    await this.deps.throttle.reserve(address, context.throttleKey ?? 'unknown');
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    mfaService: MfaService;
    /** A preHandler of the sensitive routes: 403 when the user has two-factor sign-in on and this session did not use it. */
    requireStepUp: (request: FastifyRequest) => Promise<void>;
  }
}

export default fp<{ encryptionKey: string }>(
  async (fastify, { encryptionKey }) => {
    const deps: MfaServiceDeps = {
      mfa: fastify.mfaRepository,
      users: fastify.usersRepository,
      sessionsRepository: fastify.sessionsRepository,
      accounts: fastify.accountService,
      sessions: fastify.sessionService,
      throttle: fastify.loginThrottleService,
      transactions: fastify.transactions,
      mail: fastify.mailService,
      events: fastify.securityEventService,
    };
    const service = new MfaService(deps, encryptionKey, fastify.log);
    fastify.decorate('mfaService', service);
    fastify.decorate('requireStepUp', async (request: FastifyRequest) => service.requireStepUp(request.user.sid));
  },
  {
    name: 'mfa-service',
    dependencies: [
      'mfa-repository',
      'users-repository',
      'sessions-repository',
      'account-service',
      'session-service',
      'login-throttle-service',
      'transactions',
      'mail-service',
    ],
  },
);
