/**
 * The login throttle: growing delays after failed sign-ins instead of a hard lock that an attacker
 * could use to keep the owner out (API.md, "Passwords and sign-in protection").
 *
 * Two counts of consecutive failures per email (trimmed and lower-cased; the account need not exist,
 * so unknown and known emails are throttled alike):
 * - per email and client IP: after the first `freeAttempts` failures, the next attempt waits 2 s,
 *   then 4, 8, … up to 15 minutes (2^(n − free) seconds for the n-th attempt);
 * - per email across all IPs (the row whose ip is ''): after the first `freeAttempts` failures, 1 s,
 *   then 2, 4, and at most 5 s: a stranger elsewhere delays the owner by 5 s at most, while a
 *   distributed guesser gets one guess per 5 s per account.
 * A blocked attempt is a TooManyRequestsError: it checks no password and counts nothing. A sign-in
 * that issues tokens resets both counts to zero (of its IP; other IPs' counts stay). Counts whose
 * last failure is older than COUNT_LIFETIME_HOURS start again from zero, and the session cleanup
 * deletes the counts unchanged for that long (src/services/session-cleanup.service.ts).
 *
 * The counts live in PostgreSQL (src/repositories/login-throttle.repository.ts): every instance
 * shares them, they survive restarts, and no cache size limits how many emails are remembered. An
 * attempt is counted as a failure *before* its password is checked, under row locks, so a burst of
 * concurrent guesses cannot all slip through before the first failure is recorded.
 */
import fp from 'fastify-plugin';
import type { LoginThrottleRepository } from '../repositories/login-throttle.repository.js';
import { TooManyRequestsError } from '../utils/errors.js';

/** A count whose last failure is older than this starts again from zero. */
export const COUNT_LIFETIME_HOURS = 24;
const MAX_DELAY_PER_IP_SECONDS = 15 * 60;
const MAX_DELAY_PER_EMAIL_SECONDS = 5;

export interface LoginThrottleOptions {
  /** Consecutive failures that cost no delay (LOGIN_THROTTLE_FREE_ATTEMPTS). */
  freeAttempts: number;
}

type Scope = 'ip' | 'email';

/** The wait, in seconds, before the attempt after `failures` consecutive failures (0: none). */
export function delayAfter(failures: number, freeAttempts: number, scope: Scope): number {
  if (failures < freeAttempts) return 0;
  // The (free + 1)-th attempt waits 2 s per IP, 1 s per email; each further one twice as long.
  return scope === 'ip'
    ? Math.min(2 ** (failures - freeAttempts + 1), MAX_DELAY_PER_IP_SECONDS)
    : Math.min(2 ** (failures - freeAttempts), MAX_DELAY_PER_EMAIL_SECONDS);
}

/** `delayAfter` from the first failure that costs a wait until it stops growing: what the counts are written by. */
function delaySchedule(freeAttempts: number, scope: Scope): number[] {
  const delays: number[] = [];
  for (let failures = freeAttempts; ; failures++) {
    const delay = delayAfter(failures, freeAttempts, scope);
    if (delay === delays.at(-1)) return delays;
    delays.push(delay);
  }
}

export class LoginThrottleService {
  private readonly delays: { ip: number[]; email: number[] };

  constructor(
    private readonly counts: LoginThrottleRepository,
    private readonly options: LoginThrottleOptions,
  ) {
    this.delays = { ip: delaySchedule(options.freeAttempts, 'ip'), email: delaySchedule(options.freeAttempts, 'email') };
  }

  /**
   * Runs `attempt` (a sign-in) under the throttle: TooManyRequestsError without running it while
   * either count blocks, else it counts as a failure unless it returns (tokens were issued).
   */
  async guard<T>(email: string, ip: string, attempt: () => Promise<T>): Promise<T> {
    await this.reserve(email, ip);
    const result = await attempt();
    // Other IPs' counts stay.
    await this.signedIn(email, ip);
    return result;
  }

  /** After a sign-in that issued tokens: forgets the failures of `email` from `ip` and from all IPs. */
  async signedIn(email: string, ip: string): Promise<void> {
    await this.counts.reset(email, ip, new Date());
  }

  /** TooManyRequestsError while either count blocks `email` from `ip`; counts nothing. */
  async assertNotBlocked(email: string, ip: string): Promise<void> {
    const now = new Date();
    const blockedUntil = await this.counts.blockedUntil(email, ip, now);
    if (blockedUntil) throw new TooManyRequestsError(Math.ceil((blockedUntil.getTime() - now.getTime()) / 1000));
  }

  /**
   * Counts an attempt as a failure before its password is checked, or throws TooManyRequestsError
   * (changing nothing) while either count blocks.
   */
  async reserve(email: string, ip: string): Promise<void> {
    const now = new Date();
    const staleBefore = new Date(now.getTime() - COUNT_LIFETIME_HOURS * 3_600_000);
    const blockedUntil = await this.counts.countFailure({
      email,
      ip,
      now,
      staleBefore,
      freeAttempts: this.options.freeAttempts,
      delays: this.delays,
    });
    if (blockedUntil) throw new TooManyRequestsError(Math.ceil((blockedUntil.getTime() - now.getTime()) / 1000));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    loginThrottleService: LoginThrottleService;
  }
}

export default fp<LoginThrottleOptions>(
  async (fastify, options) => {
    fastify.decorate('loginThrottleService', new LoginThrottleService(fastify.loginThrottleRepository, options));
  },
  { name: 'login-throttle-service', dependencies: ['login-throttle-repository'] },
);
