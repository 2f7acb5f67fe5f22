/**
 * Two-factor sign-in with TOTP (API.md, "Two-factor sign-in (TOTP, RFC 6238)" and "Passwords and
 * sign-in protection") through HTTP only: enrolment, activation, sign-in with `mfaToken` and a code
 * or a recovery code, new recovery codes, turning it off, the step-up of the sensitive routes, the
 * notices, the security events and the login throttle; and the attacks on it: replayed codes, codes
 * of an earlier step, clock skew beyond one step, guessing codes (also concurrently), stolen and
 * expired `mfaToken`s.
 *
 * Codes are computed by tests/helpers/totp.ts, an RFC 6238 implementation of its own. The server's
 * clock is `Date`, faked for this file but running (`shouldAdvanceTime`): `nextStep()` jumps it
 * (forward only) to 1 s into the next 30-second step, so a code computed by a test is checked in the
 * step it was computed for, and each test can use as many steps as it needs. Addresses are verified
 * as a user would, with the link of the verification email received over SMTP (tests/helpers/smtp.ts).
 *
 * After each test, every reply it got is checked: none holds a TOTP secret after the reply that
 * showed it, recovery codes after the reply that showed them, or any code a request sent.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppConfig } from '../../src/app.js';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, uniqueEmail } from '../helpers/factories.js';
import { startSmtpServer } from '../helpers/smtp.js';
import { totpCode } from '../helpers/totp.js';

// Started here rather than in a hook: the apps' SMTP_URL must be known when useTestApp builds them.
const smtp = await startSmtpServer();
// File level: runs after every describe's app has closed (and stopped sending).
afterAll(() => smtp.stop());

const PASSWORD = 'correct horse battery';
const STEP_MS = 30_000;
const MFA_REQUIRED = { statusCode: 403, error: 'Forbidden', message: 'Two-factor authentication required' };
const INVALID_CODE = 'Invalid code';
const INVALID_MFA_TOKEN = 'Invalid or expired MFA token';
const TURNED_ON = /^Two-factor sign-in was turned on$/;
const TURNED_OFF = /^Two-factor sign-in was turned off$/;
const HOME = '198.51.100.10';
const ELSEWHERE = '203.0.113.20';

const base = testConfig('postgresql://unused');
/** The test configuration, sending through the SMTP server above. */
const overSmtp = (overrides: Partial<AppConfig> = {}): Partial<AppConfig> => ({ mail: { ...base.mail, smtpUrl: smtp.url }, ...overrides });

// ---------------------------------------------------------------------------------------------------
// The clock.

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
});
afterAll(() => {
  vi.useRealTimers();
});

/** Jumps the server's clock forward to 1 s into the next TOTP step (29 s before the one after). */
function nextStep(): void {
  vi.setSystemTime((Math.floor(Date.now() / STEP_MS) + 1) * STEP_MS + 1_000);
}

/** Moves the server's clock forward by `ms`. */
function advance(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

/** The code of `secret` now (the server's now), `offset` steps away. */
const codeOf = (secret: string, offset = 0): string => totpCode(secret, new Date(), offset);

/** `count` different six-digit codes, none of them a code of the secret from 3 steps back to 3 ahead. */
function wrongCodes(secret: string, count: number): string[] {
  const near = new Set([-3, -2, -1, 0, 1, 2, 3].map((offset) => codeOf(secret, offset)));
  const codes: string[] = [];
  for (let n = Number(codeOf(secret)) + 1; codes.length < count; n++) {
    const candidate = String(n % 1_000_000).padStart(6, '0');
    if (!near.has(candidate)) codes.push(candidate);
  }
  return codes;
}

/** A wrong code (the `index`-th of wrongCodes). */
const wrongCode = (secret: string, index = 0): string => wrongCodes(secret, index + 1)[index]!;

// ---------------------------------------------------------------------------------------------------
// Every reply, checked after each test for secrets it must not hold.

interface Exchange {
  request: string;
  sent: unknown;
  body: string;
}
const exchanges: Exchange[] = [];

const normalise = (recoveryCode: string) => recoveryCode.replace(/[\s-]/g, '').toUpperCase();
/** A six-digit code standing alone (not a run of digits inside base64, a JWT, or a longer number). */
const standalone = (code: string) => new RegExp(`(?<![\\w+/=-])${code}(?![\\w+/=-])`);

afterEach(() => {
  const log = exchanges.splice(0);
  // What a reply showed (the secret, recovery codes), and the codes a request sent: from then on, no reply holds them.
  const secrets: { value: string; what: string; from: number }[] = [];
  log.forEach(({ body, sent }, at) => {
    const reply = parse(body);
    if (typeof reply?.secret === 'string') secrets.push({ value: reply.secret, what: 'the TOTP secret', from: at + 1 });
    if (Array.isArray(reply?.recoveryCodes)) {
      for (const code of reply.recoveryCodes as string[]) secrets.push({ value: normalise(code), what: 'a recovery code', from: at + 1 });
    }
    const fields = (sent ?? {}) as { code?: unknown; recoveryCode?: unknown };
    if (typeof fields.code === 'string' && /^\d{6}$/.test(fields.code)) secrets.push({ value: fields.code, what: 'a code sent', from: at });
    if (typeof fields.recoveryCode === 'string' && normalise(fields.recoveryCode).length >= 8) {
      secrets.push({ value: normalise(fields.recoveryCode), what: 'a recovery code sent', from: at });
    }
  });
  log.forEach(({ request, body }, at) => {
    const dashless = body.replace(/-/g, '').toUpperCase();
    for (const { value, what, from } of secrets) {
      if (at < from) continue;
      if (/^\d{6}$/.test(value)) expect(body, `${request}: ${what}`).not.toMatch(standalone(value));
      else expect(body.includes(value) || dashless.includes(value), `${request}: ${what}`).toBe(false);
    }
  });
});

function parse(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// The client and the factories.

type Method = 'GET' | 'POST' | 'DELETE';

interface Tokens {
  accessToken: string;
  refreshToken: string;
}
interface PublicUser {
  id: string;
  email: string;
  emailVerified: boolean;
  mfaEnabled: boolean;
}
interface Account extends Tokens {
  email: string;
  password: string;
  userId: string;
}
interface TotpAccount extends Account {
  secret: string;
  recoveryCodes: string[];
}
interface SessionView {
  id: string;
  aal: number;
  current: boolean;
}
interface SecurityEvent {
  type: string;
  sessionId: string | null;
}
type SecondFactor = { code: string } | { recoveryCode: string };

/** The claims of an access token (not verified: the server did that). */
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string; aal?: number; userId: string };

const expectStatus = (response: LightMyRequestResponse, statusCode: number) => {
  expect(response.statusCode, `${response.statusCode} ${response.body}`).toBe(statusCode);
};

const expectError = (response: LightMyRequestResponse, statusCode: number, message?: string) => {
  expectStatus(response, statusCode);
  expect(response.json()).toMatchObject({ statusCode, ...(message !== undefined && { message }) });
};

/** The requests a test sends to one app (from HOME unless told), every reply kept for the secrets check. */
function client(ctx: { app: FastifyInstance }) {
  const call = async (method: Method, url: string, options: { payload?: object; token?: string; ip?: string } = {}) => {
    const response = await ctx.app.inject({
      method,
      url,
      remoteAddress: options.ip ?? HOME,
      headers: options.token ? bearer(options.token) : {},
      ...(options.payload && { payload: options.payload }),
    });
    exchanges.push({ request: `${method} ${url} → ${response.statusCode}`, sent: options.payload, body: response.body });
    return response;
  };

  const api = {
    call,
    login: (email: string, password = PASSWORD, ip?: string) =>
      call('POST', '/auth/login', { payload: { email, password }, ...(ip && { ip }) }),
    verify: (mfaToken: string, factor: SecondFactor, ip?: string) =>
      call('POST', '/auth/mfa/verify', { payload: { mfaToken, ...factor }, ...(ip && { ip }) }),
    enrol: (token: string, password = PASSWORD) => call('POST', '/auth/mfa/totp', { token, payload: { password } }),
    activate: (token: string, code: string) => call('POST', '/auth/mfa/totp/activate', { token, payload: { code } }),
    disable: (token: string, factor: SecondFactor, password = PASSWORD) =>
      call('DELETE', '/auth/mfa/totp', { token, payload: { password, ...factor } }),
    regenerate: (token: string, code: string) => call('POST', '/auth/mfa/recovery-codes', { token, payload: { code } }),
    refresh: (refreshToken: string) => call('POST', '/auth/refresh', { payload: { refreshToken } }),
    me: (token: string) => call('GET', '/auth/me', { token }),

    async sessions(token: string): Promise<SessionView[]> {
      const response = await call('GET', '/auth/sessions', { token });
      expectStatus(response, 200);
      return response.json<SessionView[]>();
    },
    async currentSession(token: string): Promise<SessionView> {
      const current = (await api.sessions(token)).find((session) => session.current);
      return current ?? expect.fail('no current session listed');
    },
    async events(token: string): Promise<SecurityEvent[]> {
      const response = await call('GET', '/auth/events?limit=100', { token });
      expectStatus(response, 200);
      return response.json<SecurityEvent[]>();
    },

    /** A password sign-in of a user with TOTP on: the `mfaToken`. */
    async mfaTokenOf(account: Account, ip?: string): Promise<string> {
      const response = await api.login(account.email, account.password, ip);
      expectStatus(response, 200);
      const reply = response.json<{ mfaRequired?: boolean; mfaToken?: string }>();
      expect(reply.mfaRequired).toBe(true);
      return reply.mfaToken ?? expect.fail('no mfaToken');
    },
    /** A full sign-in with a code of a fresh step: the tokens of the new (aal 2) session. */
    async signInWithCode(account: TotpAccount): Promise<Tokens> {
      const mfaToken = await api.mfaTokenOf(account);
      nextStep();
      const response = await api.verify(mfaToken, { code: codeOf(account.secret) });
      expectStatus(response, 200);
      return response.json<Tokens>();
    },
  };
  return api;
}

type Client = ReturnType<typeof client>;

/**
 * Accounts with a verified address, signed up and verified in batches (the job queue delivers a
 * batch's emails in one poll); each comes with the tokens of a fresh password sign-in.
 */
function accounts(ctx: { app: FastifyInstance }, api: Client) {
  const BATCH = 8;
  const ready: { email: string; userId: string }[] = [];

  const signUpAndVerify = async () => {
    const email = uniqueEmail('mfa');
    const signup = await api.call('POST', '/auth/signup', { payload: { email, password: PASSWORD } });
    expectStatus(signup, 201);
    const verification = await smtp.waitForEmail(email, { subject: /verify/i });
    expectStatus(await api.call('POST', '/auth/email/verify', { payload: { token: verification.token } }), 200);
    return { email, userId: signup.json<{ user: { id: string } }>().user.id };
  };

  const verified = async (): Promise<Account> => {
    if (ready.length === 0) ready.push(...(await Promise.all(Array.from({ length: BATCH }, signUpAndVerify))));
    const { email, userId } = ready.pop()!;
    const response = await api.login(email);
    expectStatus(response, 200);
    return { email, userId, password: PASSWORD, ...response.json<Tokens>() };
  };

  /** An account with TOTP on, activated by its session (aal 2) with the code of a fresh step. */
  const withTotp = async (): Promise<TotpAccount> => {
    const account = await verified();
    const enrolled = await api.enrol(account.accessToken);
    expectStatus(enrolled, 201);
    const { secret } = enrolled.json<{ secret: string }>();
    nextStep();
    const activated = await api.activate(account.accessToken, codeOf(secret));
    expectStatus(activated, 200);
    return { ...account, secret, recoveryCodes: activated.json<{ recoveryCodes: string[] }>().recoveryCodes };
  };

  /** The user's two-factor state as stored: the last accepted step, and the failures of each pending sign-in. */
  const stored = async (userId: string) => {
    const factor = await ctx.app.pg.query<{ lastUsedStep: number | null; active: boolean }>(
      `SELECT "lastUsedStep", "activatedAt" IS NOT NULL AS active FROM "MfaFactor" WHERE "userId" = $1`,
      [userId],
    );
    const challenges = await ctx.app.pg.query<{ failures: number; used: boolean }>(
      `SELECT failures, "usedAt" IS NOT NULL AS used FROM "MfaChallenge" WHERE "userId" = $1 ORDER BY "createdAt"`,
      [userId],
    );
    return { factor: factor.rows[0] ?? null, challenges: challenges.rows };
  };

  return { verified, withTotp, stored };
}

/** Probes until it answers `wanted` or `withinMs` has passed; the last answer. */
async function statusWithin(withinMs: number, wanted: number, probe: () => Promise<number>): Promise<number> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const status = await probe();
    if (status === wanted || performance.now() >= deadline) return status;
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------------

describe('two-factor sign-in (TOTP)', () => {
  const ctx = useTestApp(overSmtp());
  const api = client(ctx);
  const { verified, withTotp, stored } = accounts(ctx, api);

  describe('enrolment: POST /auth/mfa/totp', () => {
    it('with a wrong password → 401, and nothing is pending (activation then has nothing to activate)', async () => {
      const account = await verified();
      expectError(await api.enrol(account.accessToken, 'not the password at all'), 401);
      expect((await stored(account.userId)).factor).toBeNull();
      expectError(await api.activate(account.accessToken, '123456'), 400);
    });

    it('while the address is unverified → 403 Email not verified', async () => {
      const signup = await api.call('POST', '/auth/signup', { payload: { email: uniqueEmail('unverified'), password: PASSWORD } });
      expectStatus(signup, 201);
      const { accessToken, user } = signup.json<Tokens & { user: PublicUser }>();
      expectError(await api.enrol(accessToken), 403, 'Email not verified');
      expect((await stored(user.id)).factor).toBeNull();
    });

    it('→ 201 a base32 secret of 160 bits, the otpauth URL holding it (SHA1, 6 digits, 30 s), an SVG QR code; TOTP is not on yet', async () => {
      const account = await verified();
      const response = await api.enrol(account.accessToken);
      expectStatus(response, 201);
      const { secret, otpauthUrl, qrSvg } = response.json<{ secret: string; otpauthUrl: string; qrSvg: string }>();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const url = new URL(otpauthUrl);
      expect(url.protocol).toBe('otpauth:');
      expect(url.host).toBe('totp');
      expect(decodeURIComponent(url.pathname)).toContain(account.email);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ secret, algorithm: 'SHA1', digits: '6', period: '30' });
      expect(qrSvg).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(Buffer.from(qrSvg.split(',')[1]!, 'base64').toString()).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

      // Pending only: the user is not on, and a password still signs in with tokens.
      expect((await api.me(account.accessToken)).json()).toMatchObject({ mfaEnabled: false });
      const login = await api.login(account.email);
      expectStatus(login, 200);
      expect(login.json()).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String) });
    });

    it('a new call replaces the pending factor: the first secret’s code is refused (400), the second’s turns TOTP on', async () => {
      const account = await verified();
      const first = (await api.enrol(account.accessToken)).json<{ secret: string }>().secret;
      const second = (await api.enrol(account.accessToken)).json<{ secret: string }>().secret;
      expect(second).not.toBe(first);
      nextStep();
      expectError(await api.activate(account.accessToken, codeOf(first)), 400, INVALID_CODE);
      expectStatus(await api.activate(account.accessToken, codeOf(second)), 200);
    });

    it('once TOTP is on → 409, and the active secret stays the one in use', async () => {
      const account = await withTotp();
      expectError(await api.enrol(account.accessToken), 409);
      await api.signInWithCode(account);
    });

    it('the secret is never sent again: not by GET /auth/me, the sessions, the events, login, verify or refresh', async () => {
      const account = await withTotp();
      const { accessToken, refreshToken } = await api.signInWithCode(account);
      const replies = [
        await api.me(accessToken),
        await api.call('GET', '/auth/sessions', { token: accessToken }),
        await api.call('GET', '/auth/events', { token: accessToken }),
        await api.login(account.email),
        await api.refresh(refreshToken),
      ];
      for (const reply of replies) {
        expect(reply.statusCode).toBe(200);
        expect(reply.body).not.toContain(account.secret);
      }
    });
  });

  describe('activation: POST /auth/mfa/totp/activate', () => {
    it('a wrong code → 400, and TOTP stays off', async () => {
      const account = await verified();
      const { secret } = (await api.enrol(account.accessToken)).json<{ secret: string }>();
      expectError(await api.activate(account.accessToken, wrongCode(secret)), 400, INVALID_CODE);
      expect((await api.me(account.accessToken)).json()).toMatchObject({ mfaEnabled: false });
      expect((await api.login(account.email)).json()).toMatchObject({ accessToken: expect.any(String) });
    });

    it('the right code → 200 10 distinct recovery codes; mfaEnabled is true; this session is aal 2 and keeps working', async () => {
      const account = await verified();
      const { secret } = (await api.enrol(account.accessToken)).json<{ secret: string }>();
      nextStep();
      const response = await api.activate(account.accessToken, codeOf(secret));
      expectStatus(response, 200);
      const { recoveryCodes } = response.json<{ recoveryCodes: string[] }>();
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes.map(normalise)).size).toBe(10);
      for (const code of recoveryCodes) expect(normalise(code).length).toBeGreaterThanOrEqual(10);

      expect((await api.me(account.accessToken)).json()).toMatchObject({ mfaEnabled: true });
      expect(await api.currentSession(account.accessToken)).toMatchObject({ id: claimsOf(account.accessToken).sid, aal: 2 });
    });

    it('revokes every other session of the user: their refresh → 401 and their access token → 401 within 2 s', async () => {
      const account = await verified();
      const other = (await api.login(account.email)).json<Tokens>();
      expectStatus(await api.me(other.accessToken), 200);
      const { secret } = (await api.enrol(account.accessToken)).json<{ secret: string }>();
      nextStep();
      expectStatus(await api.activate(account.accessToken, codeOf(secret)), 200);

      expectStatus(await api.refresh(other.refreshToken), 401);
      expect(await statusWithin(2_000, 401, async () => (await api.me(other.accessToken)).statusCode)).toBe(401);
      const sessions = await api.sessions(account.accessToken);
      expect(sessions.map((session) => session.id)).toEqual([claimsOf(account.accessToken).sid]);
    });

    it('without a pending enrolment → 400; once on, activating again → 400 and the recovery codes stay', async () => {
      const account = await verified();
      expectError(await api.activate(account.accessToken, '123456'), 400);
      const on = await withTotp();
      nextStep();
      expectError(await api.activate(on.accessToken, codeOf(on.secret)), 400);
      const mfaToken = await api.mfaTokenOf(on);
      expectStatus(await api.verify(mfaToken, { recoveryCode: on.recoveryCodes[0]! }), 200);
    });
  });

  describe('signing in with TOTP on', () => {
    it('login → 200 { mfaRequired: true, mfaToken } and no tokens, no user', async () => {
      const account = await withTotp();
      const response = await api.login(account.email);
      expectStatus(response, 200);
      const reply = response.json<Record<string, unknown>>();
      expect(Object.keys(reply).sort()).toEqual(['mfaRequired', 'mfaToken']);
      expect(reply.mfaRequired).toBe(true);
      expect(reply.mfaToken).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    });

    it('a wrong password is still a 401, without an mfaToken', async () => {
      const account = await withTotp();
      const response = await api.login(account.email, 'not the password at all');
      expectError(response, 401);
      expect(response.body).not.toContain('mfaToken');
    });

    it('POST /auth/mfa/verify with a code → the tokens of an aal-2 session (claim and session list) and the user, mfaEnabled', async () => {
      const account = await withTotp();
      const mfaToken = await api.mfaTokenOf(account);
      nextStep();
      const response = await api.verify(mfaToken, { code: codeOf(account.secret) });
      expectStatus(response, 200);
      const reply = response.json<Tokens & { user: PublicUser }>();
      expect(reply.user).toMatchObject({ id: account.userId, email: account.email, mfaEnabled: true });
      expect(claimsOf(reply.accessToken)).toMatchObject({ userId: account.userId, aal: 2 });
      expect(await api.currentSession(reply.accessToken)).toMatchObject({ id: claimsOf(reply.accessToken).sid, aal: 2 });
    });

    it('the session stays aal 2 through refresh rotations', async () => {
      const account = await withTotp();
      let tokens = await api.signInWithCode(account);
      const sid = claimsOf(tokens.accessToken).sid;
      for (let rotation = 0; rotation < 3; rotation++) {
        const refreshed = await api.refresh(tokens.refreshToken);
        expectStatus(refreshed, 200);
        tokens = refreshed.json<Tokens>();
        expect(claimsOf(tokens.accessToken)).toMatchObject({ sid, aal: 2 });
      }
      expect(await api.currentSession(tokens.accessToken)).toMatchObject({ id: sid, aal: 2 });
    });

    it('verify takes a code or a recovery code, exactly one: both, or neither → 400, and the mfaToken still works', async () => {
      const account = await withTotp();
      const mfaToken = await api.mfaTokenOf(account);
      nextStep();
      const code = codeOf(account.secret);
      expectError(await api.call('POST', '/auth/mfa/verify', { payload: { mfaToken, code, recoveryCode: account.recoveryCodes[0] } }), 400);
      expectError(await api.call('POST', '/auth/mfa/verify', { payload: { mfaToken } }), 400);
      expectStatus(await api.verify(mfaToken, { code }), 200);
    });

    it('a user whose factor is only pending signs in with the password alone', async () => {
      const account = await verified();
      expectStatus(await api.enrol(account.accessToken), 201);
      const response = await api.login(account.email);
      expectStatus(response, 200);
      expect(claimsOf(response.json<Tokens>().accessToken).aal).toBe(1);
    });
  });

  describe('codes: replay, earlier steps, clock skew', () => {
    it('a code accepted once is refused on a later sign-in (replay) → 401', async () => {
      const account = await withTotp();
      const first = await api.mfaTokenOf(account);
      nextStep();
      const code = codeOf(account.secret);
      expectStatus(await api.verify(first, { code }), 200);

      const second = await api.mfaTokenOf(account);
      expectError(await api.verify(second, { code }), 401, INVALID_CODE);
    });

    it('the code that activated TOTP is refused at sign-in (replay)', async () => {
      const account = await verified();
      const { secret } = (await api.enrol(account.accessToken)).json<{ secret: string }>();
      nextStep();
      const code = codeOf(secret);
      expectStatus(await api.activate(account.accessToken, code), 200);
      const mfaToken = await api.mfaTokenOf(account);
      expectError(await api.verify(mfaToken, { code }), 401, INVALID_CODE);
    });

    it('a code of a step earlier than the last accepted one → 401, though it is within the skew window and never used', async () => {
      const account = await withTotp();
      nextStep();
      // Step s + 1 is accepted (one step ahead)…
      expectStatus(await api.verify(await api.mfaTokenOf(account), { code: codeOf(account.secret, 1) }), 200);
      // …so step s, never used and in the window, is refused.
      expectError(await api.verify(await api.mfaTokenOf(account), { code: codeOf(account.secret) }), 401, INVALID_CODE);
    });

    it.each([
      ['one step behind', -1, 2],
      ['one step ahead', 1, 1],
    ])('clock skew: the code of %s is accepted', async (_label, offset, stepsLater) => {
      const account = await withTotp();
      for (let step = 0; step < stepsLater; step++) nextStep();
      expectStatus(await api.verify(await api.mfaTokenOf(account), { code: codeOf(account.secret, offset) }), 200);
    });

    it.each([
      ['two steps behind', -2, 3],
      ['two steps ahead', 2, 1],
    ])('clock skew: the code of %s is refused (401), though later than the last accepted step', async (_label, offset, stepsLater) => {
      const account = await withTotp();
      for (let step = 0; step < stepsLater; step++) nextStep();
      const mfaToken = await api.mfaTokenOf(account);
      expectError(await api.verify(mfaToken, { code: codeOf(account.secret, offset) }), 401, INVALID_CODE);
      // The step itself was not the problem: the code of now works on the same mfaToken.
      expectStatus(await api.verify(mfaToken, { code: codeOf(account.secret) }), 200);
    });

    it('codes that are not six digits are refused by validation (400)', async () => {
      const account = await withTotp();
      const mfaToken = await api.mfaTokenOf(account);
      for (const code of ['12345', '1234567', '12345a', ' 123456', '１２３４５６']) {
        expectError(await api.verify(mfaToken, { code }), 400);
      }
    });
  });

  describe('the mfaToken', () => {
    it('4 wrong codes leave it alive: the right code then signs in', async () => {
      const account = await withTotp();
      const mfaToken = await api.mfaTokenOf(account);
      nextStep();
      for (const code of wrongCodes(account.secret, 4)) expectError(await api.verify(mfaToken, { code }), 401, INVALID_CODE);
      expectStatus(await api.verify(mfaToken, { code: codeOf(account.secret) }), 200);
    });

    it('5 wrong codes kill it: then even the right code (or a recovery code) → 401, and neither is used up', async () => {
      const account = await withTotp();
      const mfaToken = await api.mfaTokenOf(account);
      nextStep();
      for (const code of wrongCodes(account.secret, 5)) expectError(await api.verify(mfaToken, { code }), 401, INVALID_CODE);
      const code = codeOf(account.secret);
      expectError(await api.verify(mfaToken, { code }), 401, INVALID_MFA_TOKEN);
      expectError(await api.verify(mfaToken, { recoveryCode: account.recoveryCodes[0]! }), 401, INVALID_MFA_TOKEN);

      // Neither was checked: both still sign in on a new mfaToken.
      expectStatus(await api.verify(await api.mfaTokenOf(account), { code }), 200);
      expectStatus(await api.verify(await api.mfaTokenOf(account), { recoveryCode: account.recoveryCodes[0]! }), 200);
    });

    it('lives 5 minutes: at 4 min 58 s it works; at 5 min 1 s → 401 (the recovery code sent then is not used up)', async () => {
      const account = await withTotp();
      const early = await api.mfaTokenOf(account);
      const late = await api.mfaTokenOf(account);
      advance(5 * 60_000 - 2_000);
      expectStatus(await api.verify(early, { code: codeOf(account.secret) }), 200);
      advance(3_000);
      expectError(await api.verify(late, { recoveryCode: account.recoveryCodes[0]! }), 401, INVALID_MFA_TOKEN);
      expectStatus(await api.verify(await api.mfaTokenOf(account), { recoveryCode: account.recoveryCodes[0]! }), 200);
    });

    it('is single use: a second verify with it, with a code of a later step → 401', async () => {
      const account = await withTotp();
      const mfaToken = await api.mfaTokenOf(account);
      nextStep();
      expectStatus(await api.verify(mfaToken, { code: codeOf(account.secret) }), 200);
      nextStep();
      expectError(await api.verify(mfaToken, { code: codeOf(account.secret) }), 401, INVALID_MFA_TOKEN);
      expectError(await api.verify(mfaToken, { recoveryCode: account.recoveryCodes[0]! }), 401, INVALID_MFA_TOKEN);
    });

    it('a made-up mfaToken → 401; a malformed one → 400; an access or refresh token is no mfaToken', async () => {
      const account = await withTotp();
      nextStep();
      const code = codeOf(account.secret);
      expectError(await api.verify(randomBytes(32).toString('base64url'), { code }), 401, INVALID_MFA_TOKEN);
      expectError(await api.verify('not a token!', { code }), 400);
      expectError(await api.verify('x'.repeat(257), { code }), 400);
      expectError(await api.verify(account.accessToken, { code }), 400);
      // A signature of a JWT is base64url too, and still no mfaToken.
      expectError(await api.verify(account.refreshToken.split('.')[2]!, { code }), 401, INVALID_MFA_TOKEN);
      // None of it used the code.
      expectStatus(await api.verify(await api.mfaTokenOf(account), { code }), 200);
    });

    it('is not bound to the client that got it: from another address it still needs a right code, and signs in there', async () => {
      const account = await withTotp();
      const mfaToken = await api.mfaTokenOf(account, HOME);
      nextStep();
      expectError(await api.verify(mfaToken, { code: wrongCode(account.secret) }, ELSEWHERE), 401, INVALID_CODE);
      const response = await api.verify(mfaToken, { code: codeOf(account.secret) }, ELSEWHERE);
      expectStatus(response, 200);
      const sessions = await api.call('GET', '/auth/sessions', { token: response.json<Tokens>().accessToken });
      expect(sessions.json<(SessionView & { ip: string })[]>().find((session) => session.current)).toMatchObject({ ip: ELSEWHERE, aal: 2 });
    });

    // "dies after 5 wrong codes" must hold for a burst too, not only for codes sent one after another.
    it('concurrent wrong codes on one mfaToken: no more than 5 are checked', async () => {
      const account = await withTotp();
      const mfaToken = await api.mfaTokenOf(account);
      nextStep();
      const replies = await Promise.all(wrongCodes(account.secret, 20).map((code) => api.verify(mfaToken, { code })));
      const checked = replies.filter((reply) => reply.json<{ message: string }>().message === INVALID_CODE);
      expect(replies.every((reply) => reply.statusCode === 401)).toBe(true);
      expect(checked.length, 'wrong codes checked on one mfaToken').toBeLessThanOrEqual(5);
      expect((await stored(account.userId)).challenges.at(-1)?.failures).toBeLessThanOrEqual(5);
    });

    it('the same code sent with two mfaTokens at once signs in only one of them', async () => {
      const account = await withTotp();
      const mfaTokens = [await api.mfaTokenOf(account), await api.mfaTokenOf(account)];
      nextStep();
      const code = codeOf(account.secret);
      const replies = await Promise.all(mfaTokens.map((mfaToken) => api.verify(mfaToken, { code })));
      expect(replies.map((reply) => reply.statusCode).sort()).toEqual([200, 401]);
    });
  });

  describe('recovery codes', () => {
    it('a recovery code signs in once (aal 2); the second time → 401', async () => {
      const account = await withTotp();
      const [recoveryCode] = account.recoveryCodes;
      const response = await api.verify(await api.mfaTokenOf(account), { recoveryCode: recoveryCode! });
      expectStatus(response, 200);
      expect(claimsOf(response.json<Tokens>().accessToken).aal).toBe(2);
      expectError(await api.verify(await api.mfaTokenOf(account), { recoveryCode: recoveryCode! }), 401, INVALID_CODE);
    });

    it.each([
      ['in lower case', (code: string) => code.toLowerCase()],
      ['without the dash', (code: string) => code.replace('-', '')],
      ['lower case, no dash, with spaces', (code: string) => ` ${code.replace('-', ' ').toLowerCase()} `],
    ])('is accepted %s', async (_label, spell) => {
      const account = await withTotp();
      expectStatus(await api.verify(await api.mfaTokenOf(account), { recoveryCode: spell(account.recoveryCodes[1]!) }), 200);
    });

    it('each of the 10 works, once', async () => {
      const account = await withTotp();
      for (const recoveryCode of account.recoveryCodes) {
        expectStatus(await api.verify(await api.mfaTokenOf(account), { recoveryCode }), 200);
      }
      expectError(await api.verify(await api.mfaTokenOf(account), { recoveryCode: account.recoveryCodes[9]! }), 401);
    });

    it('the same recovery code sent with two mfaTokens at once signs in only one of them', async () => {
      const account = await withTotp();
      const mfaTokens = [await api.mfaTokenOf(account), await api.mfaTokenOf(account)];
      const replies = await Promise.all(mfaTokens.map((mfaToken) => api.verify(mfaToken, { recoveryCode: account.recoveryCodes[2]! })));
      expect(replies.map((reply) => reply.statusCode).sort()).toEqual([200, 401]);
    });

    it('another user’s recovery code does not sign in (401)', async () => {
      const [owner, other] = [await withTotp(), await withTotp()];
      expectError(await api.verify(await api.mfaTokenOf(owner), { recoveryCode: other.recoveryCodes[0]! }), 401, INVALID_CODE);
      expectStatus(await api.verify(await api.mfaTokenOf(other), { recoveryCode: other.recoveryCodes[0]! }), 200);
    });

    it('POST /auth/mfa/recovery-codes: a wrong code → 401; the right one → 10 new codes that work, and the old set is dead', async () => {
      const account = await withTotp();
      nextStep();
      expectError(await api.regenerate(account.accessToken, wrongCode(account.secret)), 401, INVALID_CODE);
      const response = await api.regenerate(account.accessToken, codeOf(account.secret));
      expectStatus(response, 200);
      const { recoveryCodes } = response.json<{ recoveryCodes: string[] }>();
      expect(new Set(recoveryCodes.map(normalise)).size).toBe(10);
      expect(recoveryCodes.map(normalise)).not.toEqual(expect.arrayContaining([normalise(account.recoveryCodes[0]!)]));

      expectError(await api.verify(await api.mfaTokenOf(account), { recoveryCode: account.recoveryCodes[0]! }), 401, INVALID_CODE);
      expectStatus(await api.verify(await api.mfaTokenOf(account), { recoveryCode: recoveryCodes[0]! }), 200);
    });

    it('POST /auth/mfa/recovery-codes refuses a code used before (replay) → 401', async () => {
      const account = await withTotp();
      nextStep();
      const code = codeOf(account.secret);
      expectStatus(await api.regenerate(account.accessToken, code), 200);
      expectError(await api.regenerate(account.accessToken, code), 401, INVALID_CODE);
    });
  });

  describe('the sensitive routes (change-password, email change, account deletion, turning TOTP off)', () => {
    const sensitive = (token: string, account: TotpAccount) => ({
      changePassword: () =>
        api.call('POST', '/auth/change-password', { token, payload: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' } }),
      changeEmail: () => api.call('POST', '/auth/email/change', { token, payload: { newEmail: uniqueEmail('new'), password: PASSWORD } }),
      deleteAccount: () => api.call('DELETE', '/auth/me', { token, payload: { password: PASSWORD } }),
      disable: () => api.disable(token, { recoveryCode: account.recoveryCodes[0]! }),
    });

    it.each([
      ['change-password', 'changePassword', 204],
      ['POST /auth/email/change', 'changeEmail', 202],
      ['DELETE /auth/me', 'deleteAccount', 204],
      ['DELETE /auth/mfa/totp', 'disable', 204],
    ] as const)('%s works for a session signed in with a code (aal 2)', async (_label, route, status) => {
      const account = await withTotp();
      const { accessToken } = await api.signInWithCode(account);
      expectStatus(await sensitive(accessToken, account)[route](), status);
    });

    it('…and for the session that turned TOTP on (raised to aal 2; its access token says aal 1 until the next refresh)', async () => {
      const account = await withTotp();
      expect(claimsOf(account.accessToken).aal).toBe(1);
      expectStatus(await sensitive(account.accessToken, account).changePassword(), 204);
      const refreshed = await api.refresh(account.refreshToken);
      expectStatus(refreshed, 200);
      expect(claimsOf(refreshed.json<Tokens>().accessToken).aal).toBe(2);
    });

    /**
     * An aal-1 session of a user with TOTP on: sessions are aal 1 only when made by a password alone,
     * which TOTP being on prevents, and activation revokes the others; so the session is lowered to
     * aal 1 in the database here, standing for one that escaped revocation (see the race below).
     */
    it.each([
      ['change-password', 'changePassword'],
      ['POST /auth/email/change', 'changeEmail'],
      ['DELETE /auth/me', 'deleteAccount'],
      ['DELETE /auth/mfa/totp', 'disable'],
    ] as const)('%s → 403 Two-factor authentication required for an aal-1 session, changing nothing', async (_label, route) => {
      const account = await withTotp();
      const { accessToken } = await api.signInWithCode(account);
      await ctx.app.pg.query('UPDATE "Session" SET aal = 1 WHERE id = $1', [claimsOf(accessToken).sid]);
      const response = await sensitive(accessToken, account)[route]();
      expect(response.json()).toEqual(MFA_REQUIRED);

      // Nothing changed: the account, its address, its password and TOTP are as they were.
      expect((await api.me(accessToken)).json()).toMatchObject({ email: account.email, mfaEnabled: true });
      const mfaToken = await api.mfaTokenOf(account);
      expectStatus(await api.verify(mfaToken, { recoveryCode: account.recoveryCodes[0]! }), 200);
    });

    // "Every other session of the user is revoked": also one whose password sign-in was under way
    // (it read TOTP as off) while the activation committed.
    it('a password sign-in racing the activation leaves no aal-1 session alive once activation answered', async () => {
      const account = await verified();
      const { secret } = (await api.enrol(account.accessToken)).json<{ secret: string }>();
      nextStep();
      const logins: Promise<LightMyRequestResponse>[] = [];
      const progress = { activated: false };
      const activation = api.activate(account.accessToken, codeOf(secret)).finally(() => {
        progress.activated = true;
      });
      // Password sign-ins all through the activation (and a few after it).
      while ((!progress.activated || logins.length < 5) && logins.length < 300) {
        logins.push(api.login(account.email));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expectStatus(await activation, 200);
      const replies = await Promise.all(logins);
      const plain = replies.flatMap((reply) => reply.json<Partial<Tokens>>().accessToken ?? []);
      const alive: string[] = [];
      for (const accessToken of plain) {
        if ((await api.me(accessToken)).statusCode === 200) alive.push(claimsOf(accessToken).sid);
      }
      const sessions = await api.sessions(account.accessToken);
      expect(
        { alive: alive.length, aal1Listed: sessions.filter((session) => session.aal < 2).length },
        `${logins.length} logins, ${plain.length} answered tokens`,
      ).toEqual({ alive: 0, aal1Listed: 0 });
    });
  });

  describe('turning TOTP off: DELETE /auth/mfa/totp', () => {
    it('a wrong password → 401, a wrong code → 401, a wrong recovery code → 401; TOTP stays on', async () => {
      const account = await withTotp();
      const { accessToken } = await api.signInWithCode(account);
      nextStep();
      expectError(await api.disable(accessToken, { code: codeOf(account.secret) }, 'not the password at all'), 401);
      expectError(await api.disable(accessToken, { code: wrongCode(account.secret) }), 401, INVALID_CODE);
      expectError(await api.disable(accessToken, { recoveryCode: 'AAAAA-AAAAA' }), 401, INVALID_CODE);
      expectError(await api.call('DELETE', '/auth/mfa/totp', { token: accessToken, payload: { password: PASSWORD } }), 400);
      expect((await api.me(accessToken)).json()).toMatchObject({ mfaEnabled: true });
      expect(await api.mfaTokenOf(account)).toEqual(expect.any(String));
    });

    it('the password and a code → 204: mfaEnabled false, login answers plain tokens again, the recovery codes are gone', async () => {
      const account = await withTotp();
      const { accessToken } = await api.signInWithCode(account);
      nextStep();
      const response = await api.disable(accessToken, { code: codeOf(account.secret) });
      expectStatus(response, 204);
      expect(response.body).toBe('');
      expect((await api.me(accessToken)).json()).toMatchObject({ mfaEnabled: false });

      const login = await api.login(account.email);
      expectStatus(login, 200);
      expect(login.json()).toMatchObject({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        user: { mfaEnabled: false },
      });
      expect(claimsOf(login.json<Tokens>().accessToken).aal).toBe(1);
      expect(await stored(account.userId)).toMatchObject({ factor: null });
    });

    it('the password and a recovery code → 204; enrolling again gives a new secret', async () => {
      const account = await withTotp();
      const { accessToken } = await api.signInWithCode(account);
      expectStatus(await api.disable(accessToken, { recoveryCode: account.recoveryCodes[3]! }), 204);
      const again = await api.enrol(accessToken);
      expectStatus(again, 201);
      expect(again.json<{ secret: string }>().secret).not.toBe(account.secret);
    });

    it('when TOTP is off → 400 Two-factor authentication is not on, counting no failure', async () => {
      const account = await verified();
      expectError(await api.disable(account.accessToken, { code: '123456' }), 400, 'Two-factor authentication is not on');
      const events = await ctx.app.inject({ method: 'GET', url: '/auth/events', headers: bearer(account.accessToken) });
      expect(events.json<{ type: string }[]>().map((event) => event.type)).not.toContain('mfa_failed');
    });
  });

  describe('notices and security events', () => {
    it('turning TOTP on and off sends “Two-factor sign-in was turned on” and “…off”, holding no secret or code', async () => {
      const account = await withTotp();
      const on = await smtp.waitForEmail(account.email, { subject: TURNED_ON });
      const { accessToken } = await api.signInWithCode(account);
      expectStatus(await api.disable(accessToken, { recoveryCode: account.recoveryCodes[0]! }), 204);
      const off = await smtp.waitForEmail(account.email, { subject: TURNED_OFF });

      for (const email of [on, off]) {
        expect(email.text).toContain(account.email);
        expect(email.link).toBeNull();
        expect(email.code).toBeNull();
        for (const part of [email.text, email.html]) {
          expect(part).not.toContain(account.secret);
          for (const code of account.recoveryCodes) expect(part).not.toContain(code);
        }
      }
    });

    it('GET /auth/events lists mfa_enabled, mfa_failed (activation, sign-in, new recovery codes) and mfa_disabled', async () => {
      const account = await verified();
      const { secret } = (await api.enrol(account.accessToken)).json<{ secret: string }>();
      nextStep();
      expectStatus(await api.activate(account.accessToken, wrongCode(secret)), 400);
      expectStatus(await api.activate(account.accessToken, codeOf(secret)), 200);
      expectStatus(await api.verify(await api.mfaTokenOf(account), { code: wrongCode(secret) }), 401);
      expectStatus(await api.regenerate(account.accessToken, wrongCode(secret)), 401);
      nextStep();
      expectStatus(await api.disable(account.accessToken, { code: codeOf(secret) }), 204);

      const events = await api.events(account.accessToken);
      const sid = claimsOf(account.accessToken).sid;
      const types = events.map((event) => event.type);
      expect(types.filter((type) => type.startsWith('mfa_')).sort()).toEqual([
        'mfa_disabled',
        'mfa_enabled',
        'mfa_failed',
        'mfa_failed',
        'mfa_failed',
      ]);
      expect(types[0]).toBe('mfa_disabled');
      expect(events.find((event) => event.type === 'mfa_enabled')).toMatchObject({ sessionId: sid });
      expect(events.find((event) => event.type === 'mfa_disabled')).toMatchObject({ sessionId: sid });
    });
  });
  describe('another user (B) and A’s factor', () => {
    /** A's factor as stored, and whether A's session is alive. */
    const stateOfA = async (a: TotpAccount, aSession: Tokens) => ({
      stored: await stored(a.userId),
      me: (await api.me(aSession.accessToken)).json<PublicUser>(),
    });

    it('B’s own enrolment, activation, new recovery codes and turning off touch B only', async () => {
      const a = await withTotp();
      const aSession = await api.signInWithCode(a);
      const before = await stateOfA(a, aSession);

      const b = await verified();
      const enrolled = await api.call('POST', '/auth/mfa/totp', {
        token: b.accessToken,
        payload: { password: PASSWORD, userId: a.userId },
      });
      expectStatus(enrolled, 201);
      const { secret } = enrolled.json<{ secret: string }>();
      expect(secret).not.toBe(a.secret);
      nextStep();
      const activated = await api.call('POST', '/auth/mfa/totp/activate', {
        token: b.accessToken,
        payload: { code: codeOf(secret), userId: a.userId },
      });
      expectStatus(activated, 200);
      nextStep();
      expectStatus(
        await api.call('POST', '/auth/mfa/recovery-codes', { token: b.accessToken, payload: { code: codeOf(secret), userId: a.userId } }),
        200,
      );
      nextStep();
      expectStatus(
        await api.call('DELETE', '/auth/mfa/totp', {
          token: b.accessToken,
          payload: { password: PASSWORD, code: codeOf(secret), userId: a.userId },
        }),
        204,
      );

      // A's factor, recovery codes and session are as they were; A's codes still work.
      expect(await stateOfA(a, aSession)).toEqual(before);
      expectStatus(await api.verify(await api.mfaTokenOf(a), { recoveryCode: a.recoveryCodes[0]! }), 200);
      expectStatus(await api.verify(await api.mfaTokenOf(a), { code: codeOf(a.secret) }), 200);
    });

    it('A’s code and recovery codes are nothing to B: refused on B’s routes and B’s sign-in, and still A’s to use', async () => {
      const a = await withTotp();
      const b = await withTotp();
      nextStep();
      const aCode = codeOf(a.secret);
      const aRecovery = a.recoveryCodes[0]!;

      expectError(await api.regenerate(b.accessToken, aCode), 401, INVALID_CODE);
      expectError(await api.disable(b.accessToken, { code: aCode }), 401, INVALID_CODE);
      expectError(await api.disable(b.accessToken, { recoveryCode: aRecovery }), 401, INVALID_CODE);
      expectError(await api.verify(await api.mfaTokenOf(b), { code: aCode }), 401, INVALID_CODE);
      expectError(await api.verify(await api.mfaTokenOf(b), { recoveryCode: aRecovery }), 401, INVALID_CODE);

      expectStatus(await api.verify(await api.mfaTokenOf(a), { code: aCode }), 200);
      expectStatus(await api.verify(await api.mfaTokenOf(a), { recoveryCode: aRecovery }), 200);
      expect((await api.me(b.accessToken)).json()).toMatchObject({ mfaEnabled: true });
    });

    it('B signing in with A’s mfaToken and B’s own code → 401; A’s mfaToken then still signs A in', async () => {
      const a = await withTotp();
      const b = await withTotp();
      const aToken = await api.mfaTokenOf(a);
      nextStep();
      expectError(await api.verify(aToken, { code: codeOf(b.secret) }), 401, INVALID_CODE);
      expectError(await api.verify(aToken, { recoveryCode: b.recoveryCodes[0]! }), 401, INVALID_CODE);
      const response = await api.verify(aToken, { code: codeOf(a.secret) });
      expectStatus(response, 200);
      expect(response.json<{ user: PublicUser }>().user.id).toBe(a.userId);
    });
  });
});

describe('two-factor sign-in under the login throttle (3 free attempts)', () => {
  const ctx = useTestApp(overSmtp({ loginThrottleFreeAttempts: 3 }));
  const api = client(ctx);
  const { verified, withTotp, stored } = accounts(ctx, api);

  it('wrong codes on fresh mfaTokens count as failed sign-ins: then 429, and the right code → 429 too, checking nothing', async () => {
    const account = await withTotp();
    nextStep();
    // The login counts until a sign-in issues tokens: login (1), wrong code (2), login (3), wrong code → 429.
    expectError(await api.verify(await api.mfaTokenOf(account), { code: wrongCode(account.secret) }), 401, INVALID_CODE);
    const mfaToken = await api.mfaTokenOf(account);
    const throttled = await api.verify(mfaToken, { code: wrongCode(account.secret, 1) });
    expectError(throttled, 429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);

    const before = await stored(account.userId);
    const right = await api.verify(mfaToken, { code: codeOf(account.secret) });
    expectError(right, 429);
    expect(right.headers['retry-after']).toBeDefined();
    // Nothing was checked: the step is not used, the mfaToken counted no failure and is unused.
    expect(await stored(account.userId)).toEqual(before);
    expect(before.challenges.at(-1)).toEqual({ failures: 0, used: false });

    // Once the delay is over, the same code on the same mfaToken signs in.
    advance(60_000);
    expectStatus(await api.verify(mfaToken, { code: codeOf(account.secret) }), 200);
  });

  it('wrong codes on activation, new recovery codes and turning off count too: then those routes and login → 429, checking nothing', async () => {
    const account = await verified();
    const { secret } = (await api.enrol(account.accessToken)).json<{ secret: string }>();
    nextStep();
    // Failures 1, 2 and 3; the right activation code in between counts nothing and resets nothing.
    expectError(await api.activate(account.accessToken, wrongCode(secret)), 400, INVALID_CODE);
    expectStatus(await api.activate(account.accessToken, codeOf(secret)), 200);
    nextStep();
    expectError(await api.regenerate(account.accessToken, wrongCode(secret)), 401, INVALID_CODE);
    expectError(await api.disable(account.accessToken, { code: wrongCode(secret, 1) }), 401, INVALID_CODE);

    const before = await stored(account.userId);
    const code = codeOf(secret);
    for (const response of [
      await api.regenerate(account.accessToken, code),
      await api.disable(account.accessToken, { code }),
      await api.login(account.email),
    ]) {
      expectError(response, 429);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    // The code was not checked (its step is unused) and no sign-in was started.
    expect(await stored(account.userId)).toEqual(before);
    advance(60_000);
    expectStatus(await api.regenerate(account.accessToken, codeOf(secret)), 200);
  });

  it('a sign-in that issues tokens resets the count', async () => {
    const account = await withTotp();
    for (let round = 0; round < 3; round++) {
      nextStep();
      // Login (1), a wrong code (2), the right code: tokens, and the count is back to 0.
      const mfaToken = await api.mfaTokenOf(account);
      expectError(await api.verify(mfaToken, { code: wrongCode(account.secret) }), 401, INVALID_CODE);
      expectStatus(await api.verify(mfaToken, { code: codeOf(account.secret) }), 200);
    }
  });

  it('concurrent wrong codes on a signed-in route: no more are checked than the free attempts', async () => {
    const account = await withTotp();
    nextStep();
    const replies = await Promise.all(wrongCodes(account.secret, 12).map((code) => api.regenerate(account.accessToken, code)));
    const statuses = replies.map((reply) => reply.statusCode);
    expect(statuses.filter((status) => status === 401).length, `statuses ${statuses.join(' ')}`).toBeLessThanOrEqual(3);
  });

  it('concurrent wrong codes on one mfaToken: no more are checked than the free attempts', async () => {
    const account = await withTotp();
    const mfaToken = await api.mfaTokenOf(account);
    nextStep();
    const replies = await Promise.all(wrongCodes(account.secret, 12).map((code) => api.verify(mfaToken, { code })));
    const statuses = replies.map((reply) => reply.statusCode);
    // The login counted one already.
    expect(statuses.filter((status) => status === 401).length, `statuses ${statuses.join(' ')}`).toBeLessThanOrEqual(2);
  });
});
