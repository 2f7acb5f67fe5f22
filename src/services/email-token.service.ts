/**
 * The rules of email tokens and codes. Each email that asks for an action carries a link token
 * (32 random bytes) and a 6-digit code for the same action; only their SHA-256 hashes are stored,
 * with the purpose, the user, the address and the expiry. Both are single-use.
 *
 * - A new verification or email-change token cancels the older ones of its purpose; up to 3
 *   password-reset tokens may be live, so a stranger's forgot requests cannot cancel the owner's link.
 * - A code is tied to its address and purpose: 5 wrong codes end it (its link still works, so a
 *   stranger cannot cancel the owner's link by guessing), and at most 10 wrong codes per address and
 *   purpose count in 24 hours, however many codes were issued; beyond that only links work.
 * - A change of password or address cancels every outstanding token of the user.
 *
 * Every method runs in the caller's transaction, and takes the user's row lock before touching
 * tokens (see EmailTokensRepository.markUsed), so concurrent requests never deadlock.
 */
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { ActionEmail } from '../mail/messages.js';
import type { EmailTokenPurpose, EmailTokensRepository, StoredEmailToken } from '../repositories/email-tokens.repository.js';
import type { Queryable } from '../repositories/transaction.js';
import type { PublicUser, UsersRepository } from '../repositories/users.repository.js';
import type { MailService } from './mail.service.js';

const HOUR_MS = 3_600_000;

const POLICY: Record<EmailTokenPurpose, { validMs: number; keepLive: number; email: ActionEmail['kind'] }> = {
  verify_email: { validMs: 24 * HOUR_MS, keepLive: 0, email: 'verify-email' },
  reset_password: { validMs: 30 * 60_000, keepLive: 2, email: 'reset-password' },
  change_email: { validMs: 24 * HOUR_MS, keepLive: 0, email: 'confirm-email-change' },
};

export const MAX_WRONG_CODES_PER_CODE = 5;
export const MAX_WRONG_CODES_PER_ADDRESS = 10;
export const WRONG_CODES_WINDOW_MS = 24 * HOUR_MS;
export const TOKEN_BYTES = 32;

/** A link's token, or an address and the code sent to it. */
export type EmailProof = { token: string } | { email: string; code: string };

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
const newCode = (): string => randomInt(0, 1_000_000).toString().padStart(6, '0');

export class EmailTokenService {
  constructor(
    private readonly tokens: EmailTokensRepository,
    private readonly users: UsersRepository,
    private readonly mail: MailService,
  ) {}

  /**
   * Issues a token and code of `purpose` for `user`, sent to `email` (their address, or for an
   * address change the new one), and queues the email, all in `tx`. Lock the user first.
   */
  async issue(
    user: Pick<PublicUser, 'id' | 'name'>,
    purpose: EmailTokenPurpose,
    email: string,
    tx: Queryable,
    now = new Date(),
  ): Promise<void> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const code = newCode();
    const policy = POLICY[purpose];
    await this.tokens.insert(
      {
        id: randomUUID(),
        userId: user.id,
        purpose,
        email,
        tokenHash: sha256(token),
        codeHash: sha256(code),
        createdAt: now,
        expiresAt: new Date(now.getTime() + policy.validMs),
      },
      policy.keepLive,
      tx,
    );
    await this.mail.enqueue({ kind: policy.email, to: email, name: user.name, token, code }, tx);
  }

  /**
   * Uses the live token (or code) of one of `purposes`, and locks its user: the token, or null when
   * there is none (a wrong code is then counted; commit the transaction so the count stays).
   * `codePurpose` is the purpose wrong codes are counted under.
   */
  async use(
    proof: EmailProof,
    purposes: EmailTokenPurpose[],
    codePurpose: EmailTokenPurpose,
    tx: Queryable,
  ): Promise<StoredEmailToken | null> {
    const now = new Date();
    const found =
      'token' in proof
        ? await this.tokens.findLiveByTokenHash(sha256(proof.token), purposes, now, tx)
        : await this.matchCode(proof, purposes, codePurpose, tx, now);
    if (!found) return null;
    await this.users.lock({ id: found.userId }, tx);
    return (await this.tokens.markUsed(found.id, now, tx)) ? found : null;
  }

  /** The address a live token (or code) of one of `purposes` was sent to, without using it; null for none. */
  async addressOf(proof: EmailProof, purposes: EmailTokenPurpose[]): Promise<string | null> {
    if (!('token' in proof)) return proof.email;
    return (await this.tokens.findLiveByTokenHash(sha256(proof.token), purposes, new Date()))?.email ?? null;
  }

  /** Cancels every outstanding token of the user: after a change of password or address. */
  async cancelAll(userId: string, tx: Queryable): Promise<void> {
    await this.tokens.cancelAllOfUser(userId, new Date(), tx);
  }

  private async matchCode(
    { email, code }: { email: string; code: string },
    purposes: EmailTokenPurpose[],
    codePurpose: EmailTokenPurpose,
    tx: Queryable,
    now: Date,
  ): Promise<StoredEmailToken | null> {
    await this.tokens.lockCodeAttempts(email, tx);
    const wrongCodes = await this.tokens.countCodeFailures(email, codePurpose, new Date(now.getTime() - WRONG_CODES_WINDOW_MS), tx);
    if (wrongCodes >= MAX_WRONG_CODES_PER_ADDRESS) return null;
    const live = await this.tokens.findLiveCodesForAddress(email, purposes, MAX_WRONG_CODES_PER_CODE, now, tx);
    if (live.length === 0) return null;
    const presented = Buffer.from(sha256(code), 'hex');
    const match = live.find((token) => timingSafeEqual(Buffer.from(token.codeHash, 'hex'), presented));
    if (match) return match;
    await this.tokens.recordCodeFailure({ email, purpose: codePurpose, tokenIds: live.map((token) => token.id), now }, tx);
    return null;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    emailTokenService: EmailTokenService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate(
      'emailTokenService',
      new EmailTokenService(fastify.emailTokensRepository, fastify.usersRepository, fastify.mailService),
    );
  },
  { name: 'email-token-service', dependencies: ['email-tokens-repository', 'users-repository', 'mail-service'] },
);
