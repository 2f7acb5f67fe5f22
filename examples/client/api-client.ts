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
 * And `login(email, password, { askForCode })`, the sign-in every app needs: POST /auth/login, and
 * when the account has two-factor sign-in on (the reply is `{ mfaRequired: true, mfaToken }`, no
 * tokens), the code the user types, sent to POST /auth/mfa/verify; the tokens go to the storage.
 * `logout()` ends the session and forgets the tokens.
 *
 * Two modes (docs/clients.md, "Where to keep the tokens"):
 * - `token` (the default; mobile apps, scripts, servers): the pair lives in `storage`, and the refresh
 *   token travels in the JSON;
 * - `cookie` (web apps): sign-ins send `useCookie: true`, so the refresh token lives in the HttpOnly
 *   `refresh_token` cookie that the browser keeps and no script can read; `storage` holds the access
 *   token only (keep it in memory). Requests to /auth/… go with `credentials: 'include'` (so the
 *   browser stores and sends the cookie) and `X-Requested-With: fetch` (which the server requires of
 *   a request that uses the cookie; the browser adds `Origin` itself). A refresh sends no token: the
 *   cookie is the token. With no access token in memory (the page was reloaded), the first request
 *   refreshes through the cookie before it is sent. The app's origin must be in the server's
 *   CORS_ORIGINS, on the same site as the API (docs/api.md, "Web apps: the refresh token in a cookie").
 *
 * To use it in an app, copy this file and schema.d.ts; only openapi-fetch is needed at runtime.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

/** The pair that POST /auth/refresh answers (signup and login answer it too, with the user). */
export type TokenPair = paths['/auth/refresh']['post']['responses'][200]['content']['application/json'];

/** A signed-in reply: the tokens and the user (POST /auth/mfa/verify, and POST /auth/login without two-factor sign-in). */
export type SignedIn = paths['/auth/mfa/verify']['post']['responses'][200]['content']['application/json'];

/** The error shape every route answers: `{ statusCode, error, message }`. */
export type ApiError = paths['/auth/login']['post']['responses'][401]['content']['application/json'];

/**
 * What `askForCode` answers: the 6-digit code of the user's authenticator app, or one of their
 * recovery codes (each works once) when they have no access to the app.
 */
export type SecondFactor = string | { recoveryCode: string };

export interface LoginOptions {
  /**
   * Called when the account has two-factor sign-in on: show a code field, and resolve with what the
   * user typed. Called again after a wrong code (`retry: true`), up to `maxCodeAttempts` times in all;
   * reject to give up (`login` then rejects with that error). Without it, such an account's sign-in
   * throws.
   */
  askForCode?: (prompt: { attempt: number; retry: boolean }) => Promise<SecondFactor>;
  /** How many codes to try on one sign-in before returning the 401 (default 3; the server takes 5 per mfaToken). */
  maxCodeAttempts?: number;
}

/** `login`'s outcome, shaped like openapi-fetch's: `data` once signed in, else `error`; `response` is the last reply. */
export type LoginResult = { data: SignedIn; error?: never; response: Response } | { data?: never; error: ApiError; response: Response };

export interface ApiClient extends Client<paths> {
  /**
   * Signs in (see LoginOptions) and saves the new pair in the storage. A 401 `Invalid credentials`,
   * a 403 `Email not verified`, a 429 (wait `Retry-After`), a code refused `maxCodeAttempts` times or
   * an mfaToken that expired (5 minutes) come back as `error`; sign in again from the start.
   */
  login(email: string, password: string, options?: LoginOptions): Promise<LoginResult>;
  /**
   * Ends this session (POST /auth/logout: in token mode with the stored refresh token, in cookie mode
   * with the cookie, which the reply clears) and clears the storage, whatever the reply.
   */
  logout(): Promise<{ error?: ApiError; response: Response }>;
}

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

/** Where the refresh token lives: in `storage` (`token`), or in the browser's HttpOnly cookie (`cookie`). */
export type ClientMode = 'token' | 'cookie';

export interface ApiClientOptions {
  /** e.g. `https://api.example.com` */
  baseUrl: string;
  /** `token` (default) or `cookie` for web apps: see the top of this file. */
  mode?: ClientMode;
  /** Default: a MemoryTokenStorage. In cookie mode it holds the access token only. */
  storage?: TokenStorage;
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
  '/auth/mfa/verify',
  '/auth/refresh',
  '/auth/password/forgot',
  '/auth/password/reset',
] as const satisfies readonly (keyof paths)[];

/** The message of POST /auth/mfa/verify's 401 for a wrong code: the same mfaToken may try another. */
const INVALID_CODE = 'Invalid code';

export function createApiClient({
  baseUrl,
  mode = 'token',
  storage = new MemoryTokenStorage(),
  onLogout,
  fetch = globalThis.fetch,
}: ApiClientOptions): ApiClient {
  const root = baseUrl.replace(/\/+$/, '');
  const publicUrls = new Set<string>(PUBLIC_PATHS.map((path) => new URL(`${root}${path}`).href));
  const authUrl = new URL(`${root}/auth/`).href;
  const cookieMode = mode === 'cookie';

  /** Cookie mode: a request to /auth/… lets the browser store and send the cookie, and says it comes from script. */
  function withCookie(request: Request): Request {
    if (!cookieMode || !request.url.startsWith(authUrl)) return request;
    const sent = new Request(request, { credentials: 'include' });
    sent.headers.set('X-Requested-With', 'fetch');
    return sent;
  }

  /** What the storage keeps of a reply's tokens: never a refresh token in cookie mode. */
  const kept = ({ accessToken, refreshToken }: TokenPair): TokenPair => (cookieMode ? { accessToken } : { accessToken, refreshToken });

  // Refreshes go around the token handling below: a 401 from /auth/refresh must not start another refresh.
  const plain = createClient<paths>({ baseUrl: root, fetch: (request) => fetch(withCookie(request)) });
  let refreshing: Promise<TokenPair | undefined> | undefined;

  /** Trades the refresh token (the stored one, or the cookie) for a new pair; concurrent callers share one request. */
  function refresh(): Promise<TokenPair | undefined> {
    refreshing ??= (async () => {
      let refreshToken: string | undefined;
      if (!cookieMode) {
        refreshToken = (await storage.load())?.refreshToken;
        if (!refreshToken) return undefined;
      }
      // Cookie mode sends no token in the body: the server reads the cookie.
      const { data, response } = await plain.POST('/auth/refresh', { body: refreshToken ? { refreshToken } : {} });
      if (data) {
        // Rotation: the old refresh token is spent, so the new pair must replace it (in cookie mode
        // the reply's Set-Cookie replaced the cookie).
        const tokens = kept(data);
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

  async function fetchWithTokens(input: Request): Promise<Response> {
    const request = withCookie(input);
    const isPublic = publicUrls.has(request.url.split('?')[0]!);
    let tokens = isPublic ? undefined : await storage.load();
    // Cookie mode after a page load: no access token in memory, but the browser may hold the cookie.
    if (!isPublic && !tokens && cookieMode) tokens = await refresh();
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

  const api = createClient<paths>({ baseUrl: root, fetch: fetchWithTokens });

  async function login(email: string, password: string, { askForCode, maxCodeAttempts = 3 }: LoginOptions = {}): Promise<LoginResult> {
    const first = await api.POST('/auth/login', { body: { email, password, ...(cookieMode && { useCookie: true }) } });
    if (first.error) return { error: first.error, response: first.response };
    const { mfaRequired, mfaToken, accessToken, refreshToken, user } = first.data;
    let result: LoginResult;
    if (mfaRequired && mfaToken) {
      if (!askForCode) throw new Error('This account has two-factor sign-in on: pass askForCode to login()');
      result = await verifySecondFactor(mfaToken, askForCode, maxCodeAttempts);
    } else if (accessToken && user && (refreshToken || cookieMode)) {
      result = { data: refreshToken ? { accessToken, refreshToken, user } : { accessToken, user }, response: first.response };
    } else {
      throw new Error('POST /auth/login answered neither tokens nor mfaRequired');
    }
    if (result.data) await storage.save(kept(result.data));
    return result;
  }

  async function logout(): Promise<{ error?: ApiError; response: Response }> {
    const refreshToken = cookieMode ? undefined : (await storage.load())?.refreshToken;
    const { error, response } = await api.POST('/auth/logout', { body: refreshToken ? { refreshToken } : {} });
    await storage.clear();
    return { error, response };
  }

  /** Sends the user's codes to POST /auth/mfa/verify until one is accepted, or the sign-in cannot go on. */
  async function verifySecondFactor(
    mfaToken: string,
    askForCode: NonNullable<LoginOptions['askForCode']>,
    maxCodeAttempts: number,
  ): Promise<LoginResult> {
    for (let attempt = 1; ; attempt++) {
      const factor = await askForCode({ attempt, retry: attempt > 1 });
      const body = typeof factor === 'string' ? { mfaToken, code: factor } : { mfaToken, recoveryCode: factor.recoveryCode };
      const { data, error, response } = await api.POST('/auth/mfa/verify', { body: { ...body, ...(cookieMode && { useCookie: true }) } });
      if (data) return { data, response };
      // Only a wrong code is worth another try on the same mfaToken. Anything else ends this sign-in:
      // the mfaToken expired, was used or died after 5 wrong codes (401 Invalid or expired MFA token),
      // or the address is throttled (429 with Retry-After).
      if (response.status !== 401 || error.message !== INVALID_CODE || attempt >= maxCodeAttempts) return { error, response };
    }
  }

  return Object.assign(api, { login, logout });
}
