/**
 * The API in a real browser (Debian's Chromium driven by playwright-core), against the real server
 * process: Swagger UI at /docs works under our Content-Security-Policy, and a page on another origin
 * can log in and list habits through CORS only if that origin is in CORS_ORIGINS.
 * Without Chromium (CHROMIUM_PATH, default /usr/bin/chromium) the suite is skipped, except in CI
 * (CI=true), which must run it and so fails instead. Screenshots go to artifacts/screenshots/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
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

/** Serves the client page on 127.0.0.1 at a port of its own: an origin other than the API's. */
async function startClientSite(apiOrigin: () => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      response.end(CLIENT_SCRIPT);
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; connect-src ${apiOrigin()}; object-src 'none'`,
    });
    response.end(CLIENT_PAGE);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

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
  const user = { email: `browser-${randomBytes(6).toString('hex')}@example.com`, password: randomBytes(12).toString('base64url') };
  let accessToken = '';

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    allowedSite = await startClientSite(() => baseUrl);
    otherSite = await startClientSite(() => baseUrl);
    database = await createTestDatabase();
    server = startServerProcess({ DATABASE_URL: database.url, CORS_ORIGINS: allowedSite.origin });
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
});
