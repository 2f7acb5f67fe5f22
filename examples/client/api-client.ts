/**
 * A typed client for the Habit Tracker API: openapi-fetch over the types generated from the OpenAPI
 * document (schema.d.ts), plus the token handling every app needs:
 *
 * - every request but signup, login, refresh, forgot-password and reset-password carries
 *   `Authorization: Bearer <access token>`;
 * - a 401 to such a request means the access token expired (after 15 minutes) or was refused: the
 *   client refreshes once (POST /auth/refresh), stores the new pair, and retries the request once;
 * - only one refresh is in flight at a time. Refresh tokens rotate: a second refresh with the same
 *   token counts as reuse once the server's grace window has passed, and revokes the whole session;
 * - when the refresh is refused (401: the session was revoked or has expired), the tokens are
 *   cleared, `onLogout` is called, and the caller gets the original 401.
 *
 * To use it in an app, copy this file and schema.d.ts; only openapi-fetch is needed at runtime.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

export type ApiClient = Client<paths>;

/** The pair that POST /auth/refresh answers (signup and login answer it too, with the user). */
export type TokenPair = paths['/auth/refresh']['post']['responses'][200]['content']['application/json'];

/** Where the tokens live: memory, the Keychain, the Android Keystore… Any method may be async. */
export interface TokenStorage {
  load(): TokenPair | undefined | Promise<TokenPair | undefined>;
  save(tokens: TokenPair): void | Promise<void>;
  clear(): void | Promise<void>;
}

/** Tokens kept in memory only (the right place for an access token in a browser). */
export class MemoryTokenStorage implements TokenStorage {
  constructor(private tokens?: TokenPair) {}
  load(): TokenPair | undefined {
    return this.tokens;
  }
  save(tokens: TokenPair): void {
    this.tokens = tokens;
  }
  clear(): void {
    this.tokens = undefined;
  }
}

export interface ApiClientOptions {
  /** e.g. `https://api.example.com` */
  baseUrl: string;
  storage: TokenStorage;
  /** Called when the session is over (the refresh token was refused): show the sign-in screen. */
  onLogout?: () => void;
  /** Sends the requests; defaults to the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * Routes that take no access token: none is sent, and their 401 is about the credentials sent, never
 * a reason to refresh. (POST /auth/email/verify and /auth/email/verify/resend take one when there is
 * one: confirming a new address needs it.)
 */
const PUBLIC_PATHS = [
  '/auth/signup',
  '/auth/login',
  '/auth/refresh',
  '/auth/password/forgot',
  '/auth/password/reset',
] as const satisfies readonly (keyof paths)[];

export function createApiClient({ baseUrl, storage, onLogout, fetch = globalThis.fetch }: ApiClientOptions): ApiClient {
  const root = baseUrl.replace(/\/+$/, '');
  const publicUrls = new Set<string>(PUBLIC_PATHS.map((path) => new URL(`${root}${path}`).href));
  // Refreshes go around the token handling below: a 401 from /auth/refresh must not start another refresh.
  const plain = createClient<paths>({ baseUrl: root, fetch });
  let refreshing: Promise<TokenPair | undefined> | undefined;

  /** Trades the stored refresh token for a new pair; concurrent callers share one request. */
  function refresh(): Promise<TokenPair | undefined> {
    refreshing ??= (async () => {
      const current = await storage.load();
      if (!current) return undefined;
      const { data, response } = await plain.POST('/auth/refresh', { body: { refreshToken: current.refreshToken } });
      if (data) {
        // Rotation: the old refresh token is spent, so the new pair must replace it.
        const tokens = { accessToken: data.accessToken, refreshToken: data.refreshToken };
        await storage.save(tokens);
        return tokens;
      }
      if (response.status === 401) {
        await storage.clear();
        onLogout?.();
      }
      // Any other failure (429, 5xx) says nothing about the session: keep the tokens for later.
      return undefined;
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  async function fetchWithTokens(request: Request): Promise<Response> {
    const tokens = publicUrls.has(request.url.split('?')[0]!) ? undefined : await storage.load();
    if (!tokens) return fetch(request);

    // Cloned before sending: a request body can be read only once, and the retry needs it again.
    const retry = request.clone();
    request.headers.set('Authorization', `Bearer ${tokens.accessToken}`);
    const response = await fetch(request);
    if (response.status !== 401) return response;

    // If another request refreshed while this one was in flight, its new token is enough.
    const latest = await storage.load();
    const fresh = latest && latest.accessToken !== tokens.accessToken ? latest : await refresh();
    if (!fresh) return response;
    await response.body?.cancel();
    retry.headers.set('Authorization', `Bearer ${fresh.accessToken}`);
    return fetch(retry);
  }

  return createClient<paths>({ baseUrl: root, fetch: fetchWithTokens });
}
