/**
 * The security activity (GET /auth/events, API.md "Security activity") through HTTP: each event
 * appears after its action with the session it is about, the client's address and device; paging
 * with `limit` and `before`; one user never sees another's; TRUST_PROXY decides the address; each
 * event is one info log line without email or address. Emails go to a real SMTP server in this
 * process (tests/helpers/smtp.ts), whose links are used as a user would.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, uniqueEmail } from '../helpers/factories.js';
import { logCapture } from '../helpers/logs.js';
import { startSmtpServer } from '../helpers/smtp.js';

const smtp = await startSmtpServer();
afterAll(() => smtp.stop());

const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const PASSWORD = 'correct horse battery';
const HOME = '198.51.100.10';
const ELSEWHERE = '203.0.113.20';

interface Event {
  id: string;
  type: string;
  createdAt: string;
  ip: string | null;
  device: string | null;
  sessionId: string | null;
}
interface Account {
  email: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
}
interface Sent {
  token?: string;
  payload?: object;
  ip?: string;
  userAgent?: string;
  headers?: Record<string, string>;
}

const sidOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

/** The test configuration, sending its emails to the SMTP server above. */
const overSmtp = () => {
  const base = testConfig('postgresql://unused');
  return { mail: { ...base.mail, smtpUrl: smtp.url } };
};

/** Requests from a client at `ip` (HOME) with a user agent (CHROME), to whichever app `app()` is. */
function client(app: () => FastifyInstance) {
  const send = (method: 'GET' | 'POST' | 'DELETE', url: string, sent: Sent = {}) =>
    app().inject({
      method,
      url,
      remoteAddress: sent.ip ?? HOME,
      headers: { 'user-agent': sent.userAgent ?? CHROME, ...(sent.token && bearer(sent.token)), ...sent.headers },
      ...(sent.payload && { payload: sent.payload }),
    });
  const signUp = async (sent: Sent = {}): Promise<Account> => {
    const email = uniqueEmail('events');
    const response = await send('POST', '/auth/signup', { ...sent, payload: { email, password: PASSWORD } });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json<{ accessToken: string; refreshToken: string; user: { id: string } }>();
    return { email, userId: body.user.id, accessToken: body.accessToken, refreshToken: body.refreshToken };
  };
  const logIn = async (account: Pick<Account, 'email'>, sent: Sent = {}, password = PASSWORD) => {
    const response = await send('POST', '/auth/login', { ...sent, payload: { email: account.email, password } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ accessToken: string; refreshToken: string }>();
  };
  const events = async (token: string, query = ''): Promise<Event[]> => {
    const response = await send('GET', `/auth/events${query}`, { token });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Event[]>();
  };
  /** The newest event of `type`. */
  const latest = async (token: string, type: string) => (await events(token, '?limit=100')).find((event) => event.type === type);
  return { send, signUp, logIn, events, latest };
}

describe('security activity (GET /auth/events)', () => {
  // A rotated refresh token presented again is reuse at once.
  const ctx = useTestApp({ ...overSmtp(), refreshReuseGraceSeconds: 0 });
  const api = client(() => ctx.app);

  it('signup: the first event, with its session, the client’s address and device, and exactly these fields', async () => {
    const account = await api.signUp();
    const [event, ...older] = await api.events(account.accessToken);
    expect(older).toEqual([]);
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'signup',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      ip: HOME,
      device: 'Chrome 131 on macOS',
      sessionId: sidOf(account.accessToken),
    });
  });

  it('login: the new session, from where it signed in', async () => {
    const account = await api.signUp();
    const phone = await api.logIn(account, { ip: ELSEWHERE, userAgent: 'curl/8.4.0' });
    expect(await api.latest(account.accessToken, 'login')).toMatchObject({
      sessionId: sidOf(phone.accessToken),
      ip: ELSEWHERE,
      device: 'curl 8',
    });
  });

  it('login_failed: a wrong password for an existing account, without a session; an unknown email writes nothing', async () => {
    const account = await api.signUp();
    const count = async () => (await ctx.app.pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM "SecurityEvent"`)).rows[0]!.n;
    const before = await count();
    const unknown = await api.send('POST', '/auth/login', { payload: { email: uniqueEmail('nobody'), password: PASSWORD } });
    expect(unknown.statusCode).toBe(401);
    expect(await count()).toBe(before);

    const wrong = await api.send('POST', '/auth/login', { ip: ELSEWHERE, payload: { email: account.email, password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    expect(await api.latest(account.accessToken, 'login_failed')).toMatchObject({ sessionId: null, ip: ELSEWHERE });
  });

  it('refresh_reuse_detected: the session a reused refresh token revoked, and where the reuse came from', async () => {
    const account = await api.signUp();
    const reader = await api.logIn(account);
    expect((await api.send('POST', '/auth/refresh', { payload: { refreshToken: account.refreshToken } })).statusCode).toBe(200);
    const reused = await api.send('POST', '/auth/refresh', { ip: ELSEWHERE, payload: { refreshToken: account.refreshToken } });
    expect(reused.statusCode).toBe(401);
    expect(await api.latest(reader.accessToken, 'refresh_reuse_detected')).toMatchObject({
      sessionId: sidOf(account.accessToken),
      ip: ELSEWHERE,
    });
  });

  it('logout, session_revoked and logout_all: the sessions they ended (logout_all: the caller’s)', async () => {
    const account = await api.signUp();
    const [tablet, laptop] = [await api.logIn(account), await api.logIn(account)];
    expect((await api.send('POST', '/auth/logout', { token: tablet.accessToken })).statusCode).toBe(204);
    const revoke = await api.send('DELETE', `/auth/sessions/${sidOf(laptop.accessToken)}`, { token: account.accessToken, ip: ELSEWHERE });
    expect(revoke.statusCode).toBe(204);
    expect((await api.send('POST', '/auth/logout-all', { token: account.accessToken })).statusCode).toBe(204);

    const reader = await api.logIn(account);
    const events = await api.events(reader.accessToken);
    expect(events.map((event) => event.type).sort()).toEqual([
      'login',
      'login',
      'login',
      'logout',
      'logout_all',
      'session_revoked',
      'signup',
    ]);
    const ofType = (type: string) => events.find((event) => event.type === type);
    expect(ofType('logout')).toMatchObject({ sessionId: sidOf(tablet.accessToken), ip: HOME });
    expect(ofType('session_revoked')).toMatchObject({ sessionId: sidOf(laptop.accessToken), ip: ELSEWHERE });
    expect(ofType('logout_all')).toMatchObject({ sessionId: sidOf(account.accessToken), ip: HOME });
  });

  it('password_changed: the session it was changed from', async () => {
    const account = await api.signUp();
    const changed = await api.send('POST', '/auth/change-password', {
      token: account.accessToken,
      payload: { currentPassword: PASSWORD, newPassword: `new password ${randomUUID()}` },
    });
    expect(changed.statusCode).toBe(204);
    expect(await api.latest(account.accessToken, 'password_changed')).toMatchObject({ sessionId: sidOf(account.accessToken), ip: HOME });
  });

  it('password_reset_requested (by the job that sends the email) and password_reset: no session, each from its own address', async () => {
    const account = await api.signUp();
    const forgot = await api.send('POST', '/auth/password/forgot', {
      ip: ELSEWHERE,
      userAgent: 'curl/8.4.0',
      payload: { email: account.email },
    });
    expect(forgot.statusCode).toBe(202);
    const email = await smtp.waitForEmail(account.email, { subject: /reset/i });
    // Written in the transaction that queued the email: there once the email is.
    expect(await api.latest(account.accessToken, 'password_reset_requested')).toMatchObject({
      sessionId: null,
      ip: ELSEWHERE,
      device: 'curl 8',
    });

    const newPassword = `new password ${randomUUID()}`;
    const reset = await api.send('POST', '/auth/password/reset', { payload: { token: email.token, newPassword } });
    expect(reset.statusCode).toBe(204);
    const reader = await api.logIn(account, {}, newPassword);
    expect(await api.latest(reader.accessToken, 'password_reset')).toMatchObject({ sessionId: null, ip: HOME });
  });

  it('email_verified and email_changed: the session of the access token that confirmed them', async () => {
    const account = await api.signUp();
    const verification = await smtp.waitForEmail(account.email, { subject: /verify/i });
    const verified = await api.send('POST', '/auth/email/verify', { token: account.accessToken, payload: { token: verification.token } });
    expect(verified.statusCode).toBe(200);
    expect(await api.latest(account.accessToken, 'email_verified')).toMatchObject({ sessionId: sidOf(account.accessToken) });

    const newEmail = uniqueEmail('moved');
    const requested = await api.send('POST', '/auth/email/change', {
      token: account.accessToken,
      payload: { newEmail, password: PASSWORD },
    });
    expect(requested.statusCode).toBe(202);
    const confirmation = await smtp.waitForEmail(newEmail, { subject: /confirm your new email/i });
    const confirmed = await api.send('POST', '/auth/email/verify', { token: account.accessToken, payload: { token: confirmation.token } });
    expect(confirmed.statusCode).toBe(200);
    expect(await api.latest(account.accessToken, 'email_changed')).toMatchObject({ sessionId: sidOf(account.accessToken), ip: HOME });
  });

  it('pages newest first with limit and before (the id of the last event seen)', async () => {
    const account = await api.signUp();
    for (let attempt = 0; attempt < 4; attempt++) {
      await api.send('POST', '/auth/login', { payload: { email: account.email, password: `wrong ${attempt}` } });
    }
    const all = await api.events(account.accessToken);
    expect(all).toHaveLength(5);
    expect(all.at(-1)!.type).toBe('signup');
    const times = all.map((event) => event.createdAt);
    expect(times).toEqual([...times].sort().reverse());

    const first = await api.events(account.accessToken, '?limit=3');
    const second = await api.events(account.accessToken, `?limit=3&before=${first.at(-1)!.id}`);
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(2);
    expect([...first, ...second]).toEqual(all);
    expect(await api.events(account.accessToken, `?before=${all.at(-1)!.id}`)).toEqual([]);
  });

  it('answers an empty page for a `before` that is not one of the caller’s events, and 400 for a bad query', async () => {
    const account = await api.signUp();
    expect(await api.events(account.accessToken, `?before=${randomUUID()}`)).toEqual([]);
    for (const query of ['?limit=0', '?limit=101', '?limit=x', '?before=not-a-uuid']) {
      expect((await api.send('GET', `/auth/events${query}`, { token: account.accessToken })).statusCode, query).toBe(400);
    }
    expect((await api.send('GET', '/auth/events')).statusCode).toBe(401);
  });

  it('shows a user only their own events, also when paging from another user’s event', async () => {
    const alice = await api.signUp();
    const bob = await api.signUp();
    await api.logIn(alice);
    const aliceIds = (await api.events(alice.accessToken)).map((event) => event.id);
    const bobsView = await api.events(bob.accessToken);
    expect(bobsView.map((event) => event.sessionId)).toEqual([sidOf(bob.accessToken)]);
    expect(bobsView.map((event) => event.id)).not.toContain(aliceIds[0]);
    expect(await api.events(bob.accessToken, `?before=${aliceIds[0]!}`)).toEqual([]);
  });

  it('deletes the events with their account', async () => {
    const account = await api.signUp();
    const deleted = await api.send('DELETE', '/auth/me', { token: account.accessToken, payload: { password: PASSWORD } });
    expect(deleted.statusCode).toBe(204);
    const { rows } = await ctx.app.pg.query(`SELECT 1 FROM "SecurityEvent" WHERE "userId" = $1`, [account.userId]);
    expect(rows).toEqual([]);
  });

  describe('behind a trusted proxy (TRUST_PROXY), with the log at info level', () => {
    const { stream, lines } = logCapture();
    let proxied: FastifyInstance;
    const behindProxy = client(() => proxied);
    beforeAll(async () => {
      proxied = await buildApp(testConfig(ctx.database.url, { ...overSmtp(), trustProxy: ['127.0.0.1'] }), {
        logger: { level: 'info', stream },
      });
      await proxied.ready();
    });
    afterAll(() => proxied.close());

    it('records the client address from X-Forwarded-For, which an app without a trusted proxy ignores', async () => {
      const forwarded = { ip: '127.0.0.1', headers: { 'x-forwarded-for': ELSEWHERE } };
      const account = await behindProxy.signUp(forwarded);
      expect(await behindProxy.latest(account.accessToken, 'signup')).toMatchObject({ ip: ELSEWHERE });
      const sessions = await behindProxy.send('GET', '/auth/sessions', { token: account.accessToken });
      expect(sessions.json()).toEqual([expect.objectContaining({ ip: ELSEWHERE })]);

      const direct = await api.logIn(account, forwarded);
      expect(await api.latest(account.accessToken, 'login')).toMatchObject({ sessionId: sidOf(direct.accessToken), ip: '127.0.0.1' });
    });

    it('logs each event as one info line { event, userId, sessionId }, without the email or the address', async () => {
      const account = await behindProxy.signUp({ ip: '127.0.0.1', headers: { 'x-forwarded-for': ELSEWHERE } });
      const line = lines
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry.event === 'signup' && entry.userId === account.userId);
      expect(line).toMatchObject({ level: 30, event: 'signup', userId: account.userId, sessionId: sidOf(account.accessToken) });
      const text = JSON.stringify(line);
      expect(text).not.toContain(account.email);
      expect(text).not.toContain(ELSEWHERE);
    });
  });
});
