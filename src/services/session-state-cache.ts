/**
 * The answer to "may this access token's session be used?", cached for the authenticate hook of
 * every request: positive answers for at most 2 s, so a revoked session's access tokens stop within
 * 2 s everywhere (at once on the instance that revoked it: revocation evicts them); negative answers
 * for longer, as an ended session never comes back, so a client retrying with a revoked token costs no
 * lookup per request.
 */
import { LruMap } from 'toad-cache';
import { ACCESS_TOKEN_TTL_SECONDS } from '../auth/tokens.js';

/** An access token's session: usable; ended (revoked or expired, for good); or none of its user's. */
export type SessionState = 'active' | 'ended' | 'unknown';

export const SESSION_CACHE_TTL_MS = 2_000;
/** No access token lives longer, so no token outlives its session's cached negative answer. */
const ENDED_SESSION_CACHE_TTL_MS = ACCESS_TOKEN_TTL_SECONDS * 1000;
const SESSION_CACHE_MAX_ENTRIES = 50_000;

export class SessionStateCache {
  // Session id → the user it belongs to (a cached session must not vouch for a token naming another user).
  private readonly active = new LruMap<string>(SESSION_CACHE_MAX_ENTRIES, SESSION_CACHE_TTL_MS);
  private readonly inactive = new LruMap<{ userId: string; state: Exclude<SessionState, 'active'> }>(
    SESSION_CACHE_MAX_ENTRIES,
    ENDED_SESSION_CACHE_TTL_MS,
  );

  /** `lookup`: the stored state, asked on a miss. */
  constructor(private readonly lookup: (sessionId: string, userId: string) => Promise<SessionState>) {}

  async state(sessionId: string, userId: string): Promise<SessionState> {
    if (this.active.get(sessionId) === userId) return 'active';
    const inactive = this.inactive.get(sessionId);
    if (inactive?.userId === userId) return inactive.state;
    const state = await this.lookup(sessionId, userId);
    if (state === 'active') this.active.set(sessionId, userId);
    else this.inactive.set(sessionId, { userId, state });
    return state;
  }

  /** Sessions revoked or deleted: no longer vouched for. */
  forget(sessionIds: readonly string[]): void {
    this.active.deleteMany([...sessionIds]);
  }
}
