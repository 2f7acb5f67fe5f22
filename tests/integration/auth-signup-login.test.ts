import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, logIn, signUp, uniqueEmail } from '../helpers/factories.js';

const INVALID_CREDENTIALS = { statusCode: 401, error: 'Unauthorized', message: 'Invalid credentials' };

describe('POST /auth/signup', () => {
  const ctx = useTestApp();

  const signup = (payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: '/auth/signup', payload });

  it('answers 201 with a token pair and the public user, and never the password or its hash', async () => {
    const email = uniqueEmail();
    const response = await signup({ email, password: 'correct horse battery', name: 'Ann', timezone: 'Europe/Berlin' });
    expect(response.statusCode).toBe(201);
    const body = response.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'refreshToken', 'user']);
    expect(body.user).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email,
      name: 'Ann',
      timezone: 'Europe/Berlin',
      dayStartHour: 0,
      emailVerified: false,
      mfaEnabled: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(response.body).not.toContain('correct horse battery');
    expect(response.body).not.toContain('$2');
  });

  it('stores only a bcrypt hash of the password', async () => {
    const { user } = await signUp(ctx.app, { password: 'correct horse battery' });
    const stored = await ctx.app.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.password).toMatch(/^\$2[aby]\$\d\d\$.{53}$/);
    expect(await ctx.app.passwords.verify('correct horse battery', stored.password)).toBe(true);
  });

  it('trims and lower-cases the email, so case variants are one account', async () => {
    const local = uniqueEmail('Mixed.Case');
    const response = await signup({ email: `  ${local.toUpperCase()} `, password: 'correct horse battery' });
    expect(response.statusCode).toBe(201);
    expect(response.json<{ user: { email: string } }>().user.email).toBe(local.toLowerCase());

    const duplicate = await signup({ email: local.toLowerCase(), password: 'another password' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toEqual({ statusCode: 409, error: 'Conflict', message: 'User already exists' });
  });

  it('gives exactly one 201 and otherwise 409 when many sign up with one email at once', async () => {
    const email = uniqueEmail('race');
    const responses = await Promise.all(Array.from({ length: 8 }, () => signup({ email, password: 'correct horse battery' })));
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(await ctx.app.prisma.user.count({ where: { email } })).toBe(1);
  });

  it('defaults the time zone to UTC and the name to null', async () => {
    const { user } = await signUp(ctx.app);
    expect(user).toMatchObject({ timezone: 'UTC', name: null });
  });

  it('accepts UTC and IANA zones, and refuses unknown ones with a 400', async () => {
    expect((await signup({ email: uniqueEmail(), password: 'correct horse battery', timezone: 'UTC' })).statusCode).toBe(201);
    expect((await signup({ email: uniqueEmail(), password: 'correct horse battery', timezone: 'Pacific/Kiritimati' })).statusCode).toBe(
      201,
    );
    const response = await signup({ email: uniqueEmail(), password: 'correct horse battery', timezone: 'Mars/Olympus_Mons' });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain('timezone');
  });

  it('accepts a password of exactly 72 bytes in UTF-8', async () => {
    const password = '€'.repeat(24); // 3 bytes each
    expect(Buffer.byteLength(password)).toBe(72);
    expect((await signup({ email: uniqueEmail(), password })).statusCode).toBe(201);
  });

  it('refuses a password over 72 bytes with a 400 that says why, and creates nothing', async () => {
    const email = uniqueEmail();
    const response = await signup({ email, password: `${'€'.repeat(24)}a` });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toMatch(/password must be at most 72 bytes in UTF-8 \(bcrypt/);
    expect(await ctx.app.prisma.user.count({ where: { email } })).toBe(0);
  });

  it.each([
    ['a short password', { password: 'seven77' }],
    ['an invalid email', { email: 'not-an-email' }],
    ['an email over 254 characters', { email: `${'a'.repeat(250)}@example.com` }],
    ['an empty name', { name: '' }],
    ['a name over 100 characters', { name: 'n'.repeat(101) }],
    ['a password that is not a string', { password: 12345678 }],
    ['a missing email', { email: undefined }],
  ])('answers 400 for %s', async (_case, fields) => {
    const response = await signup({ email: uniqueEmail(), password: 'correct horse battery', ...fields });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('ignores unknown fields such as a client-chosen id', async () => {
    const chosenId = '00000000-0000-4000-8000-000000000000';
    const response = await signup({ email: uniqueEmail(), password: 'correct horse battery', id: chosenId, userId: chosenId });
    expect(response.statusCode).toBe(201);
    expect(response.json<{ user: { id: string } }>().user.id).not.toBe(chosenId);
  });

  it('answers 400 for a body that is not JSON and 415 for another content type', async () => {
    const malformed = await ctx.app.inject({
      method: 'POST',
      url: '/auth/signup',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(malformed.statusCode).toBe(400);
    const text = await ctx.app.inject({
      method: 'POST',
      url: '/auth/signup',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ statusCode: 415 });
  });
});

describe('POST /auth/login', () => {
  const ctx = useTestApp();

  const login = (payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: '/auth/login', payload });

  it('answers 200 with a token pair and the user, matching the email case-insensitively', async () => {
    const account = await signUp(ctx.app);
    const response = await login({ email: ` ${account.email.toUpperCase()}`, password: account.password });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ user: { id: account.user.id, email: account.email } });
  });

  it('gives the same 401 for an unknown email and for a wrong password', async () => {
    const account = await signUp(ctx.app);
    const unknown = await login({ email: uniqueEmail('nobody'), password: account.password });
    const wrong = await login({ email: account.email, password: 'wrong password' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(INVALID_CREDENTIALS);
    expect(wrong.body).toBe(unknown.body);
  });

  it('never logs in with a password over 72 bytes, even when its first 72 bytes are right', async () => {
    const password = 'p'.repeat(72);
    const account = await signUp(ctx.app, { password });
    const response = await login({ email: account.email, password: `${password}extra` });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain('72 bytes');
  });

  it('gives two logins in the same second two different refresh tokens that both work', async () => {
    const account = await signUp(ctx.app);
    const [first, second] = await Promise.all([
      logIn(ctx.app, account.email, account.password),
      logIn(ctx.app, account.email, account.password),
    ]);
    expect(first.refreshToken).not.toBe(second.refreshToken);
    for (const { refreshToken } of [first, second]) {
      const response = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
      expect(response.statusCode).toBe(200);
    }
  });

  it('starts a new session per login, listed with its user agent', async () => {
    const account = await signUp(ctx.app);
    await ctx.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'user-agent': 'HabitApp/2.1 (iPhone)' },
      payload: { email: account.email, password: account.password },
    });
    const sessions = await ctx.app.inject({ method: 'GET', url: '/auth/sessions', headers: bearer(account.accessToken) });
    expect(sessions.json<{ userAgent: string | null }[]>().map((session) => session.userAgent)).toContain('HabitApp/2.1 (iPhone)');
  });
});

describe('password hashing at the production cost', () => {
  const ctx = useTestApp({ bcryptRounds: 10 });

  it('hashes with BCRYPT_ROUNDS', async () => {
    const { user } = await signUp(ctx.app);
    const stored = await ctx.app.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.password.startsWith('$2b$10$')).toBe(true);
  });

  it('takes about as long for an unknown email as for a wrong password (a dummy hash is compared)', async () => {
    const account = await signUp(ctx.app);
    const median = async (email: string) => {
      const durations: number[] = [];
      for (let i = 0; i < 5; i++) {
        const startedAt = performance.now();
        await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'wrong password' } });
        durations.push(performance.now() - startedAt);
      }
      return durations.sort((a, b) => a - b)[2]!;
    };
    await median(uniqueEmail('warm-up'));
    const unknown = await median(uniqueEmail('nobody'));
    const wrong = await median(account.email);
    // Without the dummy comparison an unknown email answers ~50x faster; allow wide noise.
    expect(unknown / wrong).toBeGreaterThan(0.4);
    expect(unknown / wrong).toBeLessThan(2.5);
  });

  it('hashes off the event loop: a burst of logins never stalls it', async () => {
    const account = await signUp(ctx.app);
    await logIn(ctx.app, account.email, account.password);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    await Promise.all(
      Array.from({ length: 8 }, () =>
        ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: account.email, password: account.password } }),
      ),
    );
    delay.disable();
    // One bcrypt at cost 10 on the main thread would block it for ~90 ms at a time.
    expect(delay.percentile(99) / 1e6).toBeLessThan(50);
  });
});
