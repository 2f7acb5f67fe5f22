/**
 * The API in a real browser (Debian's Chromium driven by playwright-core), against the real server
 * process: Swagger UI at /docs works under our Content-Security-Policy, and a page on another origin
 * can log in and list habits through CORS only if that origin is in CORS_ORIGINS; and cookie mode (API.md,
 * "Browser apps: the refresh token in a cookie"): a same-site app keeps its session in the HttpOnly
 * refresh_token cookie across reloads, and another site can use that cookie neither by script nor by form.
 * Without Chromium (CHROMIUM_PATH, default /usr/bin/chromium) the suite is skipped, except in CI
 * (CI=true), which must run it and so fails instead. Screenshots go to artifacts/screenshots/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Cookie, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/utils/paths.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const chromiumInstalled = existsSync(CHROMIUM_PATH);
if (!chromiumInstalled && process.env.CI) {
  throw new Error(`CI needs Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH) for the browser tests`);
}

const SCREENSHOTS = join(PROJECT_ROOT, 'artifacts', 'screenshots');
const HABIT_NAMES = ['Read 20 pages', 'Morning run'];

/** What a browser user of the API runs: log in with a form, then list the habits (both cross-origin). */
const CLIENT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Habits from another origin</title></head>
<body>
  <p id="origins"></p>
  <form id="login">
    <input name="email" type="email" aria-label="Email">
    <input name="password" type="password" aria-label="Password">
    <button>Log in</button>
  </form>
  <p id="status"></p>
  <ul id="habits"></ul>
  <script src="/app.js"></script>
</body>
</html>`;

const CLIENT_SCRIPT = `
const api = new URLSearchParams(location.search).get('api');
const status = document.getElementById('status');
document.getElementById('origins').textContent = 'This page: ' + location.origin + ' · API: ' + api;
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const login = await fetch(api + '/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
    });
    if (!login.ok) throw new Error('login answered ' + login.status);
    const { accessToken } = await login.json();
    const response = await fetch(api + '/habits', { headers: { authorization: 'Bearer ' + accessToken } });
    if (!response.ok) throw new Error('GET /habits answered ' + response.status);
    const habits = await response.json();
    for (const habit of habits) {
      const item = document.createElement('li');
      item.textContent = habit.name;
      document.getElementById('habits').append(item);
    }
    status.textContent = 'Loaded ' + habits.length + ' habits';
  } catch (error) {
    status.textContent = error.name + ': ' + error.message;
  }
});
`;

/**
 * A cookie-mode app (no refresh token in script), served under /auth so that the cookie's Path
 * matches the page too: only HttpOnly keeps the token out of document.cookie. The tests drive
 * `window.call`; the form is what any site can do without script: a plain POST to /auth/refresh.
 */
const COOKIE_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Cookie-mode app</title></head>
<body>
  <p id="origins"></p>
  <form id="form-post" method="post"><button>Plain form POST to /auth/refresh</button></form>
  <pre id="log"></pre>
  <script src="/cookie-app.js"></script>
</body>
</html>`;

const COOKIE_SCRIPT = `
const api = new URLSearchParams(location.search).get('api');
document.getElementById('origins').textContent = 'This page: ' + location.origin + ' · API: ' + api;
document.getElementById('form-post').action = api + '/auth/refresh';
const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };
// Every call sends the cookie (credentials) and the header that cookie mode requires.
window.call = async (method, path, { token, body } = {}) => {
  const headers = { 'x-requested-with': 'fetch' };
  if (token) headers.authorization = 'Bearer ' + token;
  if (body) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(api + path, { method, credentials: 'include', headers, body: body && JSON.stringify(body) });
    const text = await response.text();
    log(method + ' ' + path + ' → ' + response.status);
    return { status: response.status, body: text ? JSON.parse(text) : null };
  } catch (error) {
    log(method + ' ' + path + ' → ' + error.name + ': ' + error.message);
    return { status: 0, error: error.name };
  }
};
`;

const SCRIPTS: Record<string, string> = { '/app.js': CLIENT_SCRIPT, '/cookie-app.js': COOKIE_SCRIPT };

/** Serves the client pages on 127.0.0.1 at a port of its own, named by `host` in its origin. */
async function startClientSite(host: 'localhost' | '127.0.0.1', apiOrigins: () => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname;
    const script = SCRIPTS[path];
    if (script !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      response.end(script);
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; connect-src ${apiOrigins()}; object-src 'none'`,
    });
    response.end(path === '/auth/app' ? COOKIE_PAGE : CLIENT_PAGE);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { origin: `http://${host}:${(server.address() as AddressInfo).port}`, server };
}

interface CallResult {
  status: number;
  body?: Record<string, unknown> | null;
  /** The name of the error fetch rejected with (status 0). */
  error?: string;
}
interface CallOptions {
  token?: string;
  body?: object;
}
type Call = (method: string, path: string, options?: CallOptions) => Promise<CallResult>;

/** Runs COOKIE_SCRIPT's `call` in the page. */
const call = (page: Page, ...args: Parameters<Call>): Promise<CallResult> =>
  page.evaluate((args) => (globalThis as unknown as { call: Call }).call(...args), args);

async function postJson(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Console errors (CSP violations among them) and uncaught exceptions, as readable lines. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

const suiteName = chromiumInstalled
  ? 'in a real browser (Chromium)'
  : `in a real browser — skipped: no Chromium at ${CHROMIUM_PATH} (install it or set CHROMIUM_PATH)`;

describe.skipIf(!chromiumInstalled)(suiteName, () => {
  let database: TestDatabase | undefined;
  let server: ServerProcess | undefined;
  let allowedSite: { origin: string; server: Server } | undefined;
  let otherSite: { origin: string; server: Server } | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let baseUrl = '';
  /**
   * The API as the browser names it in cookie mode: http://localhost:<port>, the same site as the
   * allowed app (http://localhost:<its port>; ports do not count for sites) and another site than
   * 127.0.0.1. Chromium counts http://localhost as a secure context, so it stores and sends the
   * `Secure` cookie over plain http there: no TLS needed.
   */
  let cookieApi = '';
  const user = { email: `browser-${randomBytes(6).toString('hex')}@example.com`, password: randomBytes(12).toString('base64url') };
  let accessToken = '';

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    allowedSite = await startClientSite('localhost', () => `${baseUrl} ${cookieApi}`);
    otherSite = await startClientSite('127.0.0.1', () => `${baseUrl} ${cookieApi}`);
    database = await createTestDatabase();
    // No grace for a rotated refresh token: presented again, it counts as reuse and ends the session.
    // So "the cookie still refreshes afterwards" proves that nothing rotated it in between.
    server = startServerProcess({ DATABASE_URL: database.url, CORS_ORIGINS: allowedSite.origin, REFRESH_REUSE_GRACE_SECONDS: '0' });
    // Both at once (each takes a second or so); keep whichever started, so that afterAll stops it.
    const [listening, launching] = await Promise.allSettled([
      server.waitForListening(),
      chromium.launch({
        executablePath: CHROMIUM_PATH,
        headless: true,
        // No sandbox (containers, root); no background traffic (updates, sync, QUIC probes) to a closed network.
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
    ]);
    if (launching.status === 'fulfilled') browser = launching.value;
    if (listening.status === 'rejected') throw listening.reason;
    if (launching.status === 'rejected') throw launching.reason;
    baseUrl = listening.value;
    cookieApi = baseUrl.replace('//127.0.0.1:', '//localhost:');

    const signup = await postJson(`${baseUrl}/auth/signup`, { ...user, name: 'Browser Test' });
    accessToken = signup.accessToken as string;
    for (const name of HABIT_NAMES) await postJson(`${baseUrl}/habits`, { name }, accessToken);
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    // Guarded: if beforeAll failed part-way, clean up whatever was started.
    await browser?.close();
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    for (const site of [allowedSite, otherSite]) site?.server.close();
    await database?.drop();
  });

  async function newPage(): Promise<Page> {
    context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    // Fail with the step that did not happen, well before the test timeout.
    context.setDefaultTimeout(10_000);
    return context.newPage();
  }

  it('Swagger UI at /docs authorizes with a bearer token and runs GET /habits, with no console error or CSP violation', async () => {
    const page = await newPage();
    const errors = collectErrors(page);
    await page.goto(`${baseUrl}/docs`);

    await page.getByRole('button', { name: 'Authorize', exact: true }).click();
    const dialog = page.locator('.modal-ux');
    await dialog.locator('input').fill(accessToken);
    await dialog.getByRole('button', { name: 'Apply credentials' }).click();
    await dialog.getByRole('button', { name: 'Remove authorization' }).waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    const operation = page.locator('.opblock-get').filter({ has: page.locator('.opblock-summary-path[data-path="/habits"]') });
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();

    const response = operation.locator('.live-responses-table .response');
    await response.waitFor();
    expect(await response.locator('.response-col_status').innerText()).toBe('200');
    const body = await response.locator('.response-col_description').innerText();
    for (const name of HABIT_NAMES) expect(body).toContain(name);
    // The status and body in view; the curl line, which shows the token, blacked out.
    await response.locator('.response-col_description').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'swagger-ui-get-habits.png'), mask: [operation.locator('.curl-command')] });
    expect(errors).toEqual([]);
  });

  it('a page on an origin in CORS_ORIGINS logs in and lists the habits', async () => {
    const page = await newPage();
    const errors = collectErrors(page);
    await page.goto(`${allowedSite!.origin}/?api=${encodeURIComponent(baseUrl)}`);

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    await expect.poll(() => page.locator('#status').innerText(), { timeout: 10_000 }).toBe(`Loaded ${HABIT_NAMES.length} habits`);
    expect(await page.locator('#habits li').allInnerTexts()).toEqual(HABIT_NAMES);
    await page.screenshot({ path: join(SCREENSHOTS, 'cors-allowed-origin.png') });
    expect(errors).toEqual([]);
  });

  it('a page on an origin not in CORS_ORIGINS cannot read any response (fetch rejects with TypeError)', async () => {
    const page = await newPage();
    const errors = collectErrors(page);
    const origin = otherSite!.origin;
    await page.goto(`${origin}/?api=${encodeURIComponent(baseUrl)}`);

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 10_000 }).toMatch(/^TypeError: /);
    expect(await page.locator('#habits li').count()).toBe(0);

    // A simple GET (no preflight) reaches the server, but its response stays unreadable too.
    const simpleGet = await page.evaluate(
      (url) =>
        fetch(url).then(
          () => 'read',
          (error: unknown) => (error instanceof Error ? error.name : String(error)),
        ),
      `${baseUrl}/health`,
    );
    expect(simpleGet).toBe('TypeError');
    await page.screenshot({ path: join(SCREENSHOTS, 'cors-other-origin.png') });

    // The browser says why: CORS (not, say, a refused connection), for the preflight and the GET.
    const blocked = (path: string) => `Access to fetch at '${baseUrl}${path}' from origin '${origin}' has been blocked by CORS policy`;
    expect(errors).toEqual(
      expect.arrayContaining([expect.stringContaining(blocked('/auth/login')), expect.stringContaining(blocked('/health'))]),
    );
  });

  // Cookie mode. Each test has a browser context of its own, so a cookie of its own.

  /** Opens the cookie-mode app on `origin` (the allowed app, or the same page on another site). */
  async function openCookieApp(page: Page, origin: string): Promise<void> {
    await page.goto(`${origin}/auth/app?api=${encodeURIComponent(cookieApi)}`);
  }

  /** Logs the page in with `useCookie`; returns the access token (the refresh token is in the cookie). */
  async function logInWithCookie(page: Page): Promise<string> {
    const login = await call(page, 'POST', '/auth/login', { body: { ...user, useCookie: true } });
    expect(login.status).toBe(200);
    return login.body!.accessToken as string;
  }

  /** The refresh_token cookie in the browser's jar; cookies() filters by path, hence /auth/refresh. */
  async function refreshCookie(): Promise<Cookie | undefined> {
    return (await context!.cookies(`${cookieApi}/auth/refresh`)).find((cookie) => cookie.name === 'refresh_token');
  }

  it('cookie mode: a same-site app logs in; the refresh token is in an HttpOnly, Secure, SameSite=Strict cookie, not in the JSON', async () => {
    const page = await newPage();
    const errors = collectErrors(page);
    await openCookieApp(page, allowedSite!.origin);

    const login = await call(page, 'POST', '/auth/login', { body: { ...user, useCookie: true } });
    expect(login.status).toBe(200);
    expect(login.body).toHaveProperty('accessToken');
    expect(login.body).not.toHaveProperty('refreshToken');
    // The page's path is under /auth, like the cookie's: only HttpOnly hides it from script.
    expect(await page.evaluate<string>('document.cookie')).toBe('');
    expect(await refreshCookie()).toMatchObject({ domain: 'localhost', path: '/auth', httpOnly: true, secure: true, sameSite: 'Strict' });
    await page.screenshot({ path: join(SCREENSHOTS, 'cookie-mode-login.png') });
    expect(errors).toEqual([]);
  });

  it('cookie mode: after a reload, with no token in script, the app refreshes through the cookie (twice, rotating it) and lists the habits', async () => {
    const page = await newPage();
    const errors = collectErrors(page);
    await openCookieApp(page, allowedSite!.origin);
    await logInWithCookie(page);
    await page.reload();

    let cookie = (await refreshCookie())!.value;
    for (let round = 1; round <= 2; round++) {
      const refresh = await call(page, 'POST', '/auth/refresh');
      expect(refresh).toEqual({ status: 200, body: { accessToken: expect.any(String) } });
      const habits = await call(page, 'GET', '/habits', { token: refresh.body!.accessToken as string });
      expect(habits.status).toBe(200);
      expect((habits.body as unknown as { name: string }[]).map((habit) => habit.name)).toEqual(HABIT_NAMES);
      const rotated = (await refreshCookie())!.value;
      expect(rotated, `round ${round}`).not.toBe(cookie);
      cookie = rotated;
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'cookie-mode-refresh.png') });
    expect(errors).toEqual([]);
  });

  it('cookie mode: logout answers 204 and clears the cookie; a refresh then answers 401', async () => {
    const page = await newPage();
    await openCookieApp(page, allowedSite!.origin);
    const token = await logInWithCookie(page);

    expect(await call(page, 'POST', '/auth/logout', { token })).toEqual({ status: 204, body: null });
    expect(await refreshCookie()).toBeUndefined();
    expect(await call(page, 'POST', '/auth/refresh')).toMatchObject({ status: 401 });
    await page.screenshot({ path: join(SCREENSHOTS, 'cookie-mode-logout.png') });
  });

  it('cookie mode: script on another site cannot use the cookie (CORS refuses the preflight: TypeError); the session is untouched', async () => {
    const app = await newPage();
    await openCookieApp(app, allowedSite!.origin);
    await logInWithCookie(app);
    const cookie = (await refreshCookie())!.value;

    const other = await context!.newPage();
    const errors = collectErrors(other);
    await openCookieApp(other, otherSite!.origin);
    expect(await call(other, 'POST', '/auth/refresh')).toEqual({ status: 0, error: 'TypeError' });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          `Access to fetch at '${cookieApi}/auth/refresh' from origin '${otherSite!.origin}' has been blocked by CORS policy: Response to preflight request`,
        ),
      ]),
    );
    await other.screenshot({ path: join(SCREENSHOTS, 'cookie-mode-other-site-fetch.png') });

    expect((await refreshCookie())!.value).toBe(cookie);
    expect(await call(app, 'POST', '/auth/refresh')).toMatchObject({ status: 200 });
  });

  it('cookie mode: a plain form POST from another site is sent without the cookie (SameSite=Strict) and rotates nothing', async () => {
    const app = await newPage();
    await openCookieApp(app, allowedSite!.origin);
    await logInWithCookie(app);
    const cookie = (await refreshCookie())!.value;

    const other = await context!.newPage();
    await openCookieApp(other, otherSite!.origin);
    const [formPost] = await Promise.all([
      other.waitForRequest(`${cookieApi}/auth/refresh`),
      other.getByRole('button', { name: 'Plain form POST to /auth/refresh' }).click(),
    ]);
    const response = (await formPost.response())!;
    expect(formPost.method()).toBe('POST');
    // allHeaders(): what the network stack sent, cookies included.
    expect(await formPost.allHeaders()).not.toHaveProperty('cookie');
    // A second wall, before the cookie is even looked at: the API parses no form encoding.
    expect(response.status()).toBe(415);
    expect(await response.headerValue('set-cookie')).toBeNull();
    await other.waitForURL(`${cookieApi}/auth/refresh`);
    await other.screenshot({ path: join(SCREENSHOTS, 'cookie-mode-other-site-form.png') });

    // The same request from the app's own site does carry the cookie; and the cookie still works.
    expect((await refreshCookie())!.value).toBe(cookie);
    const [refreshRequest, refresh] = await Promise.all([
      app.waitForRequest(`${cookieApi}/auth/refresh`),
      call(app, 'POST', '/auth/refresh'),
    ]);
    expect((await refreshRequest.allHeaders()).cookie).toBe(`refresh_token=${cookie}`);
    expect(refresh.status).toBe(200);
  });
});
