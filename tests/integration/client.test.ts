/**
 * The typed client of examples/client against the real server process: the walkthrough passes,
 * refresh-on-401 refreshes once (also for concurrent requests), resends request bodies, and signs
 * out when the refresh is refused, and `login` asks for the code of an account with two-factor sign-in
 * on; in cookie mode it holds no refresh token and refreshes through the cookie. The server runs with REFRESH_REUSE_GRACE_SECONDS=0, so a second refresh with the same token
 * would count as reuse at once and revoke the session, and without SMTP_URL: its emails go to an
 * outbox folder of this test, where the walkthrough reads the reset link, and to its log, where the
 * tests read verification codes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createClient, { type Client } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, MemoryTokenStorage, type TokenPair } from '../../examples/client/api-client.js';
import type { paths } from '../../examples/client/schema.js';
import { runProcess } from '../helpers/run-process.js';
import { startLiveServer, type LiveServer } from '../helpers/server-process.js';
import { totpCode } from '../helpers/totp.js';

/** A fetch that records each request as `METHOD /path`, marked `(bearer)` when it carries a token. */
function recordingFetch() {
  const sent: string[] = [];
  const send = (request: Request): Promise<Response> => {
    sent.push(`${request.method} ${new URL(request.url).pathname}${request.headers.has('authorization') ? ' (bearer)' : ''}`);
    return fetch(request);
  };
  return { sent, fetch: send };
}

/** The web app's origin: listed in the server's CORS_ORIGINS, so its requests may use the refresh cookie. */
const APP_ORIGIN = 'http://localhost:5173';

/**
 * What a browser does for a page on `origin`, for a client in cookie mode in Node (whose fetch keeps
 * no cookies): keeps the `refresh_token` cookie of each Set-Cookie (dropped when cleared), sends it
 * back to /auth/… on requests made with `credentials: 'include'`, and sends `Origin`. (A browser does
 * it itself, and never lets a script read the cookie.) Records each request as `METHOD /path`, marked
 * `(bearer)` and `(cookie)`, and the mode and headers of each refresh.
 */
function browserFetch(origin: string) {
  let cookie: string | undefined;
  const sent: string[] = [];
  const refreshes: { credentials: Request['credentials']; xRequestedWith: string | null; body: string }[] = [];
  const send = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    request.headers.set('origin', origin);
    const withCookie = cookie !== undefined && pathname.startsWith('/auth/') && request.credentials === 'include';
    if (withCookie) request.headers.set('cookie', `refresh_token=${cookie}`);
    const marks = `${request.headers.has('authorization') ? ' (bearer)' : ''}${withCookie ? ' (cookie)' : ''}`;
    sent.push(`${request.method} ${pathname}${marks}`);
    if (pathname === '/auth/refresh') {
      refreshes.push({
        credentials: request.credentials,
        xRequestedWith: request.headers.get('x-requested-with'),
        body: await request.clone().text(),
      });
    }
    const response = await fetch(request);
    for (const header of response.headers.getSetCookie()) {
      const [name, ...value] = header.split(';')[0]!.split('=');
      if (name !== 'refresh_token') continue;
      cookie = /;\s*max-age=0(;|$)/i.test(header) ? undefined : decodeURIComponent(value.join('='));
    }
    return response;
  };
  return { fetch: send, sent, refreshes, cookie: () => cookie };
}

/** The same token with a broken signature: the server answers 401, as for an expired one. */
const invalidated = (tokens: TokenPair): TokenPair => ({ ...tokens, accessToken: `${tokens.accessToken}x` });

/** A 6-digit code that is none of the codes the server would accept now (one step of skew either side). */
function wrongCode(secret: string): string {
  const accepted = new Set([-1, 0, 1].map((offset) => totpCode(secret, new Date(), offset)));
  let code = 0;
  while (accepted.has(String(code).padStart(6, '0'))) code++;
  return String(code).padStart(6, '0');
}

describe('examples/client', () => {
  let live: LiveServer | undefined;
  let baseUrl: string;
  let outboxDir: string;
  /** openapi-fetch without token handling, to set up accounts. */
  let plain: Client<paths>;

  async function signUp(): Promise<{ tokens: TokenPair; email: string; password: string }> {
    const email = `client-${randomBytes(6).toString('hex')}@example.com`;
    const password = randomBytes(12).toString('base64url');
    const { data, response } = await plain.POST('/auth/signup', { body: { email, password } });
    expect(response.status).toBe(201);
    // Signup's tokens are optional in the schema: with REQUIRE_EMAIL_VERIFICATION it answers none.
    const { accessToken, refreshToken } = data!;
    if (accessToken === undefined || refreshToken === undefined) throw new Error('signup answered no tokens');
    return { tokens: { accessToken, refreshToken }, email, password };
  }

  /**
   * The code of the email to `to` with `subject`, from the server's log: without SMTP_URL each email
   * is logged (`{ to, subject }` and a message with its `Code: 123456` line) when it is saved.
   */
  async function emailCode(to: string, subject: string): Promise<string> {
    const fields = `"to":${JSON.stringify(to)},"subject":${JSON.stringify(subject)}`;
    await live!.server.waitForOutput(fields);
    const line = live!.server
      .output()
      .split('\n')
      .find((entry) => entry.includes(fields));
    const code = /Code: (\d{6})/.exec((JSON.parse(line!) as { msg: string }).msg)?.[1];
    if (!code) throw new Error(`no code in the email "${subject}" to ${to}`);
    return code;
  }

  /** A new account with a verified address and two-factor sign-in on (activated in the signup's session). */
  async function signUpWithTwoFactor(): Promise<{ tokens: TokenPair; email: string; password: string; secret: string }> {
    const account = await signUp();
    const headers = { authorization: `Bearer ${account.tokens.accessToken}` };
    const code = await emailCode(account.email, 'Verify your email address');
    expect((await plain.POST('/auth/email/verify', { body: { email: account.email, code } })).response.status).toBe(200);
    const enrolled = await plain.POST('/auth/mfa/totp', { headers, body: { password: account.password } });
    expect(enrolled.response.status).toBe(201);
    const secret = enrolled.data!.secret;
    const activated = await plain.POST('/auth/mfa/totp/activate', { headers, body: { code: totpCode(secret) } });
    expect(activated.response.status).toBe(200);
    return { ...account, secret };
  }

  /** A client over `storage`, recording what it sends and how often it signs out. */
  function clientWith(storage: MemoryTokenStorage) {
    const recorder = recordingFetch();
    const logouts = { count: 0 };
    const api = createApiClient({ baseUrl, storage, fetch: recorder.fetch, onLogout: () => logouts.count++ });
    return { api, sent: recorder.sent, logouts };
  }

  beforeAll(async () => {
    outboxDir = await mkdtemp(join(tmpdir(), 'client-outbox-'));
    live = await startLiveServer({
      REFRESH_REUSE_GRACE_SECONDS: '0',
      SIGNUP_RATE_LIMIT_PER_IP: '100',
      MAIL_OUTBOX_DIR: outboxDir,
      MFA_ENCRYPTION_KEY: 'client-test-mfa-encryption-key-0123456789',
      CORS_ORIGINS: APP_ORIGIN,
    });
    baseUrl = live.baseUrl;
    plain = createClient<paths>({ baseUrl });
  });

  afterAll(async () => {
    await live?.stop();
    await rm(outboxDir, { recursive: true, force: true });
  });

  it('walkthrough.ts passes every step against a running server, exits 0, and prints no token', async () => {
    const { code, stdout, stderr } = await runProcess(process.execPath, ['--import', 'tsx', 'examples/client/walkthrough.ts'], {
      BASE_URL: baseUrl,
      MAIL_OUTBOX_DIR: outboxDir,
    });

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    for (const line of [
      '1. POST /auth/signup → 201',
      '2. POST /auth/login → 200',
      '3. POST /habits → 201',
      '4. PUT /habits/{id}/goal (once a day) → 201',
      '8. GET /habits/{id}/stats → 200',
      '9. GET /habits with an invalid access token → 200',
      '     POST /auth/refresh → 200',
      '10. POST /auth/logout → 204',
      '11. GET /auth/me with the logged-out tokens → 401',
      '12. POST /auth/password/forgot → 202',
      '13. POST /auth/password/reset with the link token → 204',
      '14. POST /auth/login with the new password → 200',
      '     emailVerified true',
      'All 14 steps passed',
    ]) {
      expect(stdout).toContain(`${line}\n`);
    }
    expect(stdout).not.toContain('eyJ');
  });

  it('retries a request refused for its access token once, after exactly one refresh, with its body sent again', async () => {
    const { tokens } = await signUp();
    const storage = new MemoryTokenStorage(invalidated(tokens));
    const { api, sent, logouts } = clientWith(storage);

    const { data, response } = await api.POST('/habits', { body: { name: 'Resent body' } });

    expect(response.status).toBe(201);
    expect(data?.name).toBe('Resent body');
    expect(sent).toEqual(['POST /habits (bearer)', 'POST /auth/refresh', 'POST /habits (bearer)']);
    // The rotated pair replaced the old one, and works without another refresh.
    expect(storage.load()?.refreshToken).not.toBe(tokens.refreshToken);
    expect((await api.GET('/auth/me')).response.status).toBe(200);
    expect(sent).toHaveLength(4);
    expect(logouts.count).toBe(0);
  });

  it('sends one refresh for five concurrent requests refused with the same access token', async () => {
    const { tokens } = await signUp();
    const { api, sent, logouts } = clientWith(new MemoryTokenStorage(invalidated(tokens)));

    const responses = await Promise.all(Array.from({ length: 5 }, () => api.GET('/habits')));

    expect(responses.map(({ response }) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(sent.filter((request) => request === 'POST /auth/refresh')).toHaveLength(1);
    // Five refused, five retried: none was sent after the refresh without having been refused first.
    expect(sent.filter((request) => request === 'GET /habits (bearer)')).toHaveLength(10);
    expect(logouts.count).toBe(0);
  });

  it('clears the tokens, calls onLogout once and returns the 401 when the refresh is refused', async () => {
    const { tokens } = await signUp();
    const loggedOut = await plain.POST('/auth/logout', { headers: { authorization: `Bearer ${tokens.accessToken}` }, body: {} });
    expect(loggedOut.response.status).toBe(204);
    const storage = new MemoryTokenStorage(tokens);
    const { api, sent, logouts } = clientWith(storage);

    const results = await Promise.all(Array.from({ length: 3 }, () => api.GET('/auth/me')));

    for (const { response, error } of results) {
      expect(response.status).toBe(401);
      expect(error).toMatchObject({ statusCode: 401 });
    }
    expect(sent.filter((request) => request === 'POST /auth/refresh')).toHaveLength(1);
    expect(logouts.count).toBe(1);
    expect(storage.load()).toBeUndefined();
  });

  it('sends forgot-password and reset-password without the access token', async () => {
    const { tokens, email } = await signUp();
    const { api, sent } = clientWith(new MemoryTokenStorage(tokens));

    const forgot = await api.POST('/auth/password/forgot', { body: { email } });
    const reset = await api.POST('/auth/password/reset', { body: { email, code: '000000', newPassword: 'not applied at all' } });

    expect([forgot.response.status, reset.response.status]).toEqual([202, 400]);
    expect(sent).toEqual(['POST /auth/password/forgot', 'POST /auth/password/reset']);
  });

  it('returns a 401 from POST /auth/login as it is: no token sent, no refresh', async () => {
    const { tokens, email } = await signUp();
    const storage = new MemoryTokenStorage(tokens);
    const { api, sent, logouts } = clientWith(storage);

    const { response } = await api.POST('/auth/login', { body: { email, password: 'not the password' } });

    expect(response.status).toBe(401);
    expect(sent).toEqual(['POST /auth/login']);
    expect(storage.load()).toEqual(tokens);
    expect(logouts.count).toBe(0);
  });

  it('login asks for the code of an account with two-factor sign-in on, again after a wrong one, and stores the aal-2 pair', async () => {
    const { tokens, email, password, secret } = await signUpWithTwoFactor();
    const storage = new MemoryTokenStorage(tokens);
    const { api, sent, logouts } = clientWith(storage);
    const prompts: { attempt: number; retry: boolean }[] = [];
    // The activation used the current step's code, and a code is accepted once: the next step's code
    // (the server accepts one step of clock skew) stands for the one the app shows next.
    const answers = [wrongCode(secret), totpCode(secret, new Date(), 1)];

    const { data, error, response } = await api.login(email, password, {
      askForCode: async (prompt) => {
        prompts.push(prompt);
        return answers[prompts.length - 1]!;
      },
    });

    expect({ status: response.status, error }).toEqual({ status: 200, error: undefined });
    expect(data?.user).toMatchObject({ email, mfaEnabled: true });
    expect(prompts).toEqual([
      { attempt: 1, retry: false },
      { attempt: 2, retry: true },
    ]);
    // Public routes: the stored access token is not sent, and a wrong code's 401 starts no refresh.
    expect(sent).toEqual(['POST /auth/login', 'POST /auth/mfa/verify', 'POST /auth/mfa/verify']);
    expect(storage.load()).toEqual({ accessToken: data!.accessToken, refreshToken: data!.refreshToken });
    const sessions = await api.GET('/auth/sessions');
    expect(sessions.data?.find((session) => session.current)?.aal).toBe(2);
    expect(logouts.count).toBe(0);
  });

  describe('cookie mode', () => {
    it('signs in with useCookie, keeps no refresh token, and refreshes a refused request through the cookie', async () => {
      const { email, password } = await signUp();
      const browser = browserFetch(APP_ORIGIN);
      const storage = new MemoryTokenStorage();
      const logouts = { count: 0 };
      const api = createApiClient({ baseUrl, mode: 'cookie', storage, fetch: browser.fetch, onLogout: () => logouts.count++ });

      const { data, response } = await api.login(email, password);

      expect(response.status).toBe(200);
      expect(data).not.toHaveProperty('refreshToken');
      expect(storage.load()).toEqual({ accessToken: data!.accessToken });
      const firstCookie = browser.cookie();
      expect(firstCookie).toMatch(/^eyJ/);

      storage.save({ accessToken: `${data!.accessToken}x` });
      const me = await api.GET('/auth/me');

      expect(me.response.status).toBe(200);
      expect(browser.sent).toEqual([
        'POST /auth/login',
        'GET /auth/me (bearer) (cookie)',
        'POST /auth/refresh (cookie)',
        'GET /auth/me (bearer) (cookie)',
      ]);
      // No token in the body: the cookie is the token, sent with the header the server requires.
      expect(browser.refreshes).toEqual([{ credentials: 'include', xRequestedWith: 'fetch', body: '{}' }]);
      expect(storage.load()).not.toHaveProperty('refreshToken');
      expect(browser.cookie()).not.toBe(firstCookie);
      expect(logouts.count).toBe(0);
    });

    it('after a page load (no access token in memory) refreshes through the cookie first, and logout ends the session and clears the cookie', async () => {
      const { email, password } = await signUp();
      const browser = browserFetch(APP_ORIGIN);
      const signIn = createApiClient({ baseUrl, mode: 'cookie', fetch: browser.fetch });
      expect((await signIn.login(email, password)).response.status).toBe(200);
      // The page reloads: a new client, nothing in memory, the browser still has the cookie.
      const storage = new MemoryTokenStorage();
      const logouts = { count: 0 };
      const api = createApiClient({ baseUrl, mode: 'cookie', storage, fetch: browser.fetch, onLogout: () => logouts.count++ });
      browser.sent.length = 0;

      const habits = await api.GET('/habits');

      expect(habits.response.status).toBe(200);
      expect(browser.sent).toEqual(['POST /auth/refresh (cookie)', 'GET /habits (bearer)']);

      const logout = await api.logout();

      expect(logout.response.status).toBe(204);
      expect(browser.cookie()).toBeUndefined();
      expect(storage.load()).toBeUndefined();
      // Signed out: the next request finds no cookie to refresh with.
      const after = await api.GET('/auth/me');
      expect(after.response.status).toBe(401);
      expect(logouts.count).toBe(1);
    });
  });
});
