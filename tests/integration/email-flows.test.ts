/**
 * The email flows (API.md, "Email: verification, password reset, email change") through HTTP only:
 * the app in this process, its emails delivered by its job queue over real SMTP to a server in this
 * process (tests/helpers/smtp.ts), and acted on as a user would, with the link's token or the code.
 *
 * Absence of an email is proven without sleeping: the queue takes jobs in order, so once an email
 * requested later has arrived, one requested earlier would have arrived before it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src/app.js';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, uniqueEmail } from '../helpers/factories.js';
import { startSmtpServer, type ReceivedEmail } from '../helpers/smtp.js';

// Started here rather than in a hook: the apps' SMTP_URL must be known when useTestApp builds them.
const smtp = await startSmtpServer();
// File level: runs after every describe's app has closed (and stopped sending).
afterAll(() => smtp.stop());

const APP_URL = 'https://app.example.com';
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new password';
const INVALID_TOKEN = { statusCode: 400, message: 'Invalid or expired token' };

const VERIFY = /verify/i;
const RESET = /reset/i;
const PASSWORD_CHANGED = /password was changed/i;
const CONFIRM_CHANGE = /confirm your new email/i;
const EMAIL_CHANGED = /email address was changed/i;

const base = testConfig('postgresql://unused');
/** The test configuration, sending through the SMTP server above. */
const overSmtp = (overrides: Partial<AppConfig> = {}): Partial<AppConfig> => ({
  mail: { ...base.mail, appUrl: APP_URL, smtpUrl: smtp.url },
  ...overrides,
});

// Every reply of every test, checked after each test for secrets (see afterEach below).
const replies: { request: string; body: string }[] = [];
const BCRYPT_HASH = /\$2[aby]?\$\d\d\$[./A-Za-z0-9]{53}/;

afterEach(() => {
  const sent = smtp.messages;
  const tokens = sent.flatMap((email) => (email.token ? [email.token] : []));
  const codes = sent.flatMap((email) => (email.code ? [new RegExp(`(?<!\\d)${email.code}(?!\\d)`)] : []));
  for (const { request, body } of replies.splice(0)) {
    expect(body, `${request}: a password hash`).not.toMatch(BCRYPT_HASH);
    for (const password of [PASSWORD, NEW_PASSWORD]) expect(body, `${request}: a password`).not.toContain(password);
    for (const token of tokens) expect(body, `${request}: an email token`).not.toContain(token);
    for (const code of codes) expect(body, `${request}: an email code`).not.toMatch(code);
  }
});

type Method = 'GET' | 'POST';

/** Requests to one app, each reply kept for the secrets check. */
function client(ctx: { app: FastifyInstance }) {
  const call = async (method: Method, url: string, payload?: object, accessToken?: string) => {
    const response = await ctx.app.inject({ method, url, headers: accessToken ? bearer(accessToken) : {}, ...(payload && { payload }) });
    replies.push({ request: `${method} ${url} → ${response.statusCode}`, body: response.body });
    return response;
  };
  const post = (url: string, payload?: object, accessToken?: string) => call('POST', url, payload, accessToken);

  return {
    post,
    me: (accessToken: string) => call('GET', '/auth/me', undefined, accessToken),
    signUp: async (email = uniqueEmail('mail')) => {
      const response = await post('/auth/signup', { email, password: PASSWORD });
      expect(response.statusCode).toBe(201);
      return {
        email,
        ...response.json<{ accessToken: string; refreshToken: string; user: { id: string; email: string; emailVerified: boolean } }>(),
      };
    },
    login: (email: string, password: string) => post('/auth/login', { email, password }),
    refresh: (refreshToken: string) => post('/auth/refresh', { refreshToken }),
    forgot: (email: string) => post('/auth/password/forgot', { email }),
    verify: (proof: { token: string } | { email: string; code: string }, accessToken?: string) =>
      post('/auth/email/verify', proof, accessToken),
    reset: (proof: { token: string } | { email: string; code: string }, newPassword = NEW_PASSWORD) =>
      post('/auth/password/reset', { ...proof, newPassword }),
  };
}

/** The email's token; fails the test if it has none. */
const tokenOf = (email: ReceivedEmail) => ({ token: email.token ?? expect.fail(`no token in "${email.subject}"`) });
const codeOf = (email: ReceivedEmail) => ({ email: email.to, code: email.code ?? expect.fail(`no code in "${email.subject}"`) });

/** `count` six-digit codes, all different from `right`. */
const wrongCodes = (right: string, count: number) =>
  Array.from({ length: count }, (_, i) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'));

/** Probes until it answers `wanted` or `withinMs` has passed; the last answer. */
async function statusWithin(withinMs: number, wanted: number, probe: () => Promise<number>): Promise<number> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const status = await probe();
    if (status === wanted || performance.now() >= deadline) return status;
    await sleep(50);
  }
}

describe('email flows over SMTP', () => {
  const ctx = useTestApp(overSmtp());
  const api = client(ctx);

  describe('verification', () => {
    it('signup sends a verification email with a link and a code; the link verifies the address once', async () => {
      const account = await api.signUp();
      expect(account.user.emailVerified).toBe(false);

      const email = await smtp.waitForEmail(account.email, { subject: VERIFY });
      expect(email.link).toBe(`${APP_URL}/verify-email?token=${email.token}`);
      expect(email.token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(email.code).toMatch(/^\d{6}$/);
      expect(email.html).toContain(email.token);

      const verified = await api.verify(tokenOf(email));
      expect(verified.statusCode).toBe(200);
      expect(verified.json()).toMatchObject({ id: account.user.id, email: account.email, emailVerified: true });
      expect((await api.me(account.accessToken)).json()).toMatchObject({ emailVerified: true });

      const again = await api.verify(tokenOf(email));
      expect(again.statusCode).toBe(400);
      expect(again.json()).toMatchObject(INVALID_TOKEN);
    });

    it('the code of the verification email, with the address, verifies it once; the link then is used up too', async () => {
      const account = await api.signUp();
      const email = await smtp.waitForEmail(account.email, { subject: VERIFY });

      const verified = await api.verify(codeOf(email));
      expect(verified.statusCode).toBe(200);
      expect(verified.json()).toMatchObject({ email: account.email, emailVerified: true });

      expect((await api.verify(codeOf(email))).json()).toMatchObject(INVALID_TOKEN);
      expect((await api.verify(tokenOf(email))).json()).toMatchObject(INVALID_TOKEN);
    });

    it('a new verification email (resend with the access token, 202) kills the older link and code', async () => {
      const account = await api.signUp();
      const first = await smtp.waitForEmail(account.email, { subject: VERIFY });

      expect((await api.post('/auth/email/verify/resend', undefined, account.accessToken)).statusCode).toBe(202);
      const second = await smtp.waitForEmail(account.email, { subject: VERIFY, after: 1 });
      expect(second.token).not.toBe(first.token);

      expect((await api.verify(tokenOf(first))).json()).toMatchObject(INVALID_TOKEN);
      // (Unless the new code happens to be the same six digits.)
      if (first.code !== second.code) expect((await api.verify(codeOf(first))).json()).toMatchObject(INVALID_TOKEN);
      const verified = await api.verify(tokenOf(second));
      expect(verified.statusCode).toBe(200);
      expect(verified.json()).toMatchObject({ emailVerified: true });
    });

    it('resend with the access token of a verified account is 409 Email already verified', async () => {
      const account = await api.signUp();
      expect((await api.verify(tokenOf(await smtp.waitForEmail(account.email, { subject: VERIFY })))).statusCode).toBe(200);

      const response = await api.post('/auth/email/verify/resend', undefined, account.accessToken);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ statusCode: 409, message: 'Email already verified' });
    });

    it('resend without an access token answers 202 whatever the address, and emails only an unverified account', async () => {
      const unknown = uniqueEmail('nobody');
      const verifiedAccount = await api.signUp();
      expect((await api.verify(tokenOf(await smtp.waitForEmail(verifiedAccount.email, { subject: VERIFY })))).statusCode).toBe(200);
      const unverified = await api.signUp();
      await smtp.waitForEmail(unverified.email, { subject: VERIFY });

      const bodies: string[] = [];
      for (const email of [unknown, verifiedAccount.email, unverified.email]) {
        const response = await api.post('/auth/email/verify/resend', { email });
        expect(response.statusCode).toBe(202);
        bodies.push(response.body);
      }
      expect(new Set(bodies).size).toBe(1);

      // The last request's email: those of the earlier ones would have arrived before it.
      const resent = await smtp.waitForEmail(unverified.email, { subject: VERIFY, after: 1 });
      expect(smtp.received(unknown)).toEqual([]);
      expect(smtp.received(verifiedAccount.email)).toHaveLength(1);
      expect((await api.verify(tokenOf(resent))).statusCode).toBe(200);
    });
  });

  describe('password reset', () => {
    it('forgot sends a link and a code; the link sets the new password, revokes every session, verifies the address, and a notice follows', async () => {
      const account = await api.signUp();
      const phoneResponse = await api.login(account.email, PASSWORD);
      const phone = phoneResponse.json<{ accessToken: string; refreshToken: string }>();

      const forgot = await api.forgot(account.email);
      expect(forgot.statusCode).toBe(202);
      expect(forgot.json()).toEqual({ message: expect.any(String) });
      const email = await smtp.waitForEmail(account.email, { subject: RESET });
      expect(email.link).toBe(`${APP_URL}/reset-password?token=${email.token}`);
      expect(email.code).toMatch(/^\d{6}$/);

      expect((await api.reset(tokenOf(email))).statusCode).toBe(204);
      // Access tokens of revoked sessions stop within 2 s.
      for (const { accessToken } of [account, phone]) {
        expect(await statusWithin(2_000, 401, async () => (await api.me(accessToken)).statusCode)).toBe(401);
      }
      for (const { refreshToken } of [account, phone]) expect((await api.refresh(refreshToken)).statusCode).toBe(401);

      expect((await api.login(account.email, PASSWORD)).statusCode).toBe(401);
      const login = await api.login(account.email, NEW_PASSWORD);
      expect(login.statusCode).toBe(200);
      expect(login.json()).toMatchObject({ user: { email: account.email, emailVerified: true } });

      const notice = await smtp.waitForEmail(account.email, { subject: PASSWORD_CHANGED });
      expect(notice).toMatchObject({ link: null, token: null, code: null });
      expect((await api.reset(tokenOf(email), 'yet another password')).json()).toMatchObject(INVALID_TOKEN);
    });

    it('the code of the reset email works with the address: { email, code, newPassword }', async () => {
      const account = await api.signUp();
      await api.forgot(account.email);
      const email = await smtp.waitForEmail(account.email, { subject: RESET });

      expect((await api.reset(codeOf(email))).statusCode).toBe(204);
      expect((await api.login(account.email, NEW_PASSWORD)).statusCode).toBe(200);
      expect((await api.reset(codeOf(email), 'yet another password')).json()).toMatchObject(INVALID_TOKEN);
      await smtp.waitForEmail(account.email, { subject: PASSWORD_CHANGED });
    });

    it('5 wrong codes kill the code (the right one then fails), not the link: a stranger cannot cancel it', async () => {
      const account = await api.signUp();
      await api.forgot(account.email);
      const email = await smtp.waitForEmail(account.email, { subject: RESET });

      for (const code of wrongCodes(email.code!, 5)) {
        const response = await api.reset({ email: account.email, code });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject(INVALID_TOKEN);
      }
      expect((await api.reset(codeOf(email))).json()).toMatchObject(INVALID_TOKEN);
      expect((await api.login(account.email, PASSWORD)).statusCode).toBe(200);
      expect((await api.reset(tokenOf(email))).statusCode).toBe(204);
      expect((await api.login(account.email, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('after 10 wrong codes for an address in 24 h, across re-issued codes, even a fresh right code fails; its link still works', async () => {
      const account = await api.signUp();
      for (let round = 0; round < 2; round++) {
        await api.forgot(account.email);
        const email = await smtp.waitForEmail(account.email, { subject: RESET, after: round });
        for (const code of wrongCodes(email.code!, 5)) expect((await api.reset({ email: account.email, code })).statusCode).toBe(400);
      }

      await api.forgot(account.email);
      const fresh = await smtp.waitForEmail(account.email, { subject: RESET, after: 2 });
      expect((await api.reset(codeOf(fresh))).json()).toMatchObject(INVALID_TOKEN);
      expect((await api.reset(tokenOf(fresh))).statusCode).toBe(204);
      expect((await api.login(account.email, NEW_PASSWORD)).statusCode).toBe(200);
      await smtp.waitForEmail(account.email, { subject: PASSWORD_CHANGED });
    });

    it('keeps 3 reset links live: a 4th request kills the 1st, the 2nd still works, and its use kills the others', async () => {
      const account = await api.signUp();
      for (let i = 0; i < 4; i++) expect((await api.forgot(account.email)).statusCode).toBe(202);
      await smtp.waitForEmail(account.email, { subject: RESET, after: 3 });
      // In the order they were requested: the queue takes jobs in order.
      const [first, second, third, fourth] = smtp.received(account.email, RESET);

      expect((await api.reset(tokenOf(first!))).json()).toMatchObject(INVALID_TOKEN);
      // The oldest of the three newest works: so did the two after it.
      expect((await api.reset(tokenOf(second!))).statusCode).toBe(204);
      for (const later of [third!, fourth!])
        expect((await api.reset(tokenOf(later), 'yet another password')).json()).toMatchObject(INVALID_TOKEN);
      expect((await api.login(account.email, NEW_PASSWORD)).statusCode).toBe(200);
      await smtp.waitForEmail(account.email, { subject: PASSWORD_CHANGED });
    });

    it('change-password sends the notice and kills outstanding reset links and codes', async () => {
      const account = await api.signUp();
      await api.forgot(account.email);
      const email = await smtp.waitForEmail(account.email, { subject: RESET });

      const changed = await api.post(
        '/auth/change-password',
        { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
        account.accessToken,
      );
      expect(changed.statusCode).toBe(204);
      const notice = await smtp.waitForEmail(account.email, { subject: PASSWORD_CHANGED });
      expect(notice.token).toBeNull();

      expect((await api.reset(tokenOf(email), 'yet another password')).json()).toMatchObject(INVALID_TOKEN);
      expect((await api.reset(codeOf(email), 'yet another password')).json()).toMatchObject(INVALID_TOKEN);
      expect((await api.login(account.email, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('forgot for an unknown address answers 202 like a known one and sends nothing', async () => {
      const unknown = uniqueEmail('nobody');
      const known = await api.signUp();

      const forUnknown = await api.forgot(unknown);
      const forKnown = await api.forgot(known.email);
      expect(forUnknown.statusCode).toBe(202);
      expect(forUnknown.body).toBe(forKnown.body);

      // Requested after the unknown address's: had that one sent an email, it would be here by now.
      await smtp.waitForEmail(known.email, { subject: RESET });
      expect(smtp.received(unknown)).toEqual([]);
    });
  });

  describe('email change', () => {
    it('answers 401 for a wrong password and 409 for an address in use', async () => {
      const account = await api.signUp();
      const other = await api.signUp();

      const wrongPassword = await api.post(
        '/auth/email/change',
        { newEmail: uniqueEmail('new'), password: 'not my password' },
        account.accessToken,
      );
      expect(wrongPassword.statusCode).toBe(401);
      const taken = await api.post('/auth/email/change', { newEmail: other.email.toUpperCase(), password: PASSWORD }, account.accessToken);
      expect(taken.statusCode).toBe(409);
      expect(taken.json()).toMatchObject({ message: 'User already exists' });
    });

    it('sends a confirmation to the new address that only the same account’s access token can use; the old address is told', async () => {
      const account = await api.signUp();
      const other = await api.signUp();
      const newEmail = uniqueEmail('new');

      const requested = await api.post('/auth/email/change', { newEmail, password: PASSWORD }, account.accessToken);
      expect(requested.statusCode).toBe(202);
      const confirmation = await smtp.waitForEmail(newEmail, { subject: CONFIRM_CHANGE });
      expect(confirmation.link).toBe(`${APP_URL}/verify-email?token=${confirmation.token}`);

      // Without an access token, and with another user's: 401, and the token stays usable.
      expect((await api.verify(tokenOf(confirmation))).statusCode).toBe(401);
      expect((await api.verify(tokenOf(confirmation), other.accessToken)).statusCode).toBe(401);
      expect((await api.me(account.accessToken)).json()).toMatchObject({ email: account.email });

      const confirmed = await api.verify(tokenOf(confirmation), account.accessToken);
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.json()).toMatchObject({ id: account.user.id, email: newEmail, emailVerified: true });

      const notice = await smtp.waitForEmail(account.email, { subject: EMAIL_CHANGED });
      expect(notice.text).toContain(newEmail);
      expect(notice.token).toBeNull();
      expect((await api.login(newEmail, PASSWORD)).statusCode).toBe(200);
      expect((await api.login(account.email, PASSWORD)).statusCode).toBe(401);
    });
  });
});

describe('with REQUIRE_EMAIL_VERIFICATION', () => {
  const ctx = useTestApp(overSmtp({ requireEmailVerification: true }));
  const api = client(ctx);

  it('signup answers 201 with the user and verificationRequired, and no tokens', async () => {
    const email = uniqueEmail('strict');
    const response = await api.post('/auth/signup', { email, password: PASSWORD });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ user: expect.objectContaining({ email, emailVerified: false }), verificationRequired: true });
    await smtp.waitForEmail(email, { subject: VERIFY });
  });

  it('login is 403 Email not verified until the address is verified (a wrong password stays 401), then 200', async () => {
    const email = uniqueEmail('strict');
    expect((await api.post('/auth/signup', { email, password: PASSWORD })).statusCode).toBe(201);

    const refused = await api.login(email, PASSWORD);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ statusCode: 403, message: 'Email not verified' });
    expect((await api.login(email, 'not my password')).statusCode).toBe(401);

    expect((await api.verify(tokenOf(await smtp.waitForEmail(email, { subject: VERIFY })))).statusCode).toBe(200);
    const login = await api.login(email, PASSWORD);
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ user: { email, emailVerified: true } });
  });
});

describe('forgot-password beyond FORGOT_RATE_LIMIT_PER_EMAIL', () => {
  const ctx = useTestApp(overSmtp({ rateLimit: { ...base.rateLimit, forgotPerEmail: 3 } }));
  const api = client(ctx);

  it('the 4th request for one address from one IP within the hour still answers 202 but sends nothing', async () => {
    const account = await api.signUp();
    const sentinel = await api.signUp();
    for (let i = 0; i < 4; i++) {
      const response = await api.forgot(account.email);
      expect(response.statusCode).toBe(202);
    }

    // Requested after all four: had the 4th sent an email, it would be here by now.
    await api.forgot(sentinel.email);
    await smtp.waitForEmail(sentinel.email, { subject: RESET });
    expect(smtp.received(account.email, RESET)).toHaveLength(3);
  });
});
