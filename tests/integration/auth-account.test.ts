import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, logIn, signUp } from '../helpers/factories.js';

function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

function signHs256(payload: object, secret: string): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('account and session routes', () => {
  const ctx = useTestApp();

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: bearer(token), ...(payload && { payload }) });
  const refreshStatus = async (refreshToken: string) =>
    (await ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } })).statusCode;
  const meStatus = async (accessToken: string) => (await inject('GET', '/auth/me', accessToken)).statusCode;

  describe('GET /auth/me', () => {
    it('answers exactly the public fields of the caller', async () => {
      const account = await signUp(ctx.app, { name: 'Mia' });
      const response = await inject('GET', '/auth/me', account.accessToken);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(account.user);
    });
  });

  describe('PATCH /auth/me', () => {
    it('changes the name and time zone', async () => {
      const account = await signUp(ctx.app);
      const response = await inject('PATCH', '/auth/me', account.accessToken, { name: 'New Name', timezone: 'Asia/Tokyo' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: account.user.id, name: 'New Name', timezone: 'Asia/Tokyo' });
      expect((await inject('GET', '/auth/me', account.accessToken)).json()).toMatchObject({ timezone: 'Asia/Tokyo' });
    });

    it('clears the name with null and leaves what is not sent unchanged', async () => {
      const account = await signUp(ctx.app, { name: 'Temp', timezone: 'Europe/Paris' });
      const response = await inject('PATCH', '/auth/me', account.accessToken, { name: null });
      expect(response.json()).toMatchObject({ name: null, timezone: 'Europe/Paris' });
    });

    it('refuses an unknown time zone and ignores fields it does not own', async () => {
      const account = await signUp(ctx.app);
      expect((await inject('PATCH', '/auth/me', account.accessToken, { timezone: 'Nowhere/City' })).statusCode).toBe(400);
      const response = await inject('PATCH', '/auth/me', account.accessToken, { email: 'hijack@example.com', id: 'x' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ email: account.email, id: account.user.id });
    });
  });

  describe('POST /auth/logout', () => {
    it('without a body revokes the current session: its refresh token and access token stop', async () => {
      const account = await signUp(ctx.app);
      expect((await ctx.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(account.accessToken) })).statusCode).toBe(204);
      expect(await refreshStatus(account.refreshToken)).toBe(401);
      expect(await meStatus(account.accessToken)).toBe(401);
    });

    it('with a refresh token of another of the caller’s sessions revokes that one, again 204 when repeated', async () => {
      const account = await signUp(ctx.app);
      const phone = await logIn(ctx.app, account.email, account.password);
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await inject('POST', '/auth/logout', account.accessToken, { refreshToken: phone.refreshToken });
        expect(response.statusCode).toBe(204);
      }
      expect(await refreshStatus(phone.refreshToken)).toBe(401);
      expect(await meStatus(account.accessToken)).toBe(200);
    });

    it('never touches another user’s session: with their refresh token it revokes the caller’s own', async () => {
      const mallory = await signUp(ctx.app);
      const victim = await signUp(ctx.app);
      const response = await inject('POST', '/auth/logout', mallory.accessToken, { refreshToken: victim.refreshToken });
      expect(response.statusCode).toBe(204);
      expect(await refreshStatus(victim.refreshToken)).toBe(200);
      expect(await meStatus(mallory.accessToken)).toBe(401);
    });

    it('answers 401 without a valid access token', async () => {
      const account = await signUp(ctx.app);
      const response = await ctx.app.inject({ method: 'POST', url: '/auth/logout', payload: { refreshToken: account.refreshToken } });
      expect(response.statusCode).toBe(401);
      expect(await refreshStatus(account.refreshToken)).toBe(200);
    });

    it('answers 204 to a retried logout with the same access and refresh token; other routes still answer 401', async () => {
      const account = await signUp(ctx.app);
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await inject('POST', '/auth/logout', account.accessToken, { refreshToken: account.refreshToken });
        expect(response.statusCode).toBe(204);
      }
      expect(await meStatus(account.accessToken)).toBe(401);
      expect((await inject('POST', '/auth/logout-all', account.accessToken)).statusCode).toBe(401);
    });

    it('changes nothing when the caller’s session has already ended, even given a live session’s refresh token', async () => {
      const account = await signUp(ctx.app);
      const phone = await logIn(ctx.app, account.email, account.password);
      expect((await inject('POST', '/auth/logout', account.accessToken)).statusCode).toBe(204);
      const response = await inject('POST', '/auth/logout', account.accessToken, { refreshToken: phone.refreshToken });
      expect(response.statusCode).toBe(204);
      expect(await meStatus(phone.accessToken)).toBe(200);
      expect(await refreshStatus(phone.refreshToken)).toBe(200);
    });

    it('answers 401 to an ended session’s access token once it has expired', async () => {
      const account = await signUp(ctx.app);
      expect((await inject('POST', '/auth/logout', account.accessToken)).statusCode).toBe(204);
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.now() + 901_000);
        expect((await inject('POST', '/auth/logout', account.accessToken)).statusCode).toBe(401);
      } finally {
        vi.useRealTimers();
      }
    });

    it('answers 401 to a token pairing the caller’s user id with another user’s session', async () => {
      const account = await signUp(ctx.app);
      const other = await signUp(ctx.app);
      const { email, iat, exp, iss, aud } = decodePayload(account.accessToken);
      const forged = signHs256(
        { userId: account.user.id, email, sid: decodePayload(other.accessToken).sid, iat, exp, iss, aud },
        testConfig('x').jwt.accessKeys.signingKey,
      );
      expect((await inject('POST', '/auth/logout', forged)).statusCode).toBe(401);
      expect(await meStatus(other.accessToken)).toBe(200);
    });
  });

  describe('POST /auth/logout-all', () => {
    it('revokes every session of the caller and no one else’s', async () => {
      const account = await signUp(ctx.app);
      const other = await logIn(ctx.app, account.email, account.password);
      const bystander = await signUp(ctx.app);
      expect((await inject('POST', '/auth/logout-all', account.accessToken)).statusCode).toBe(204);
      expect(await refreshStatus(account.refreshToken)).toBe(401);
      expect(await refreshStatus(other.refreshToken)).toBe(401);
      expect(await meStatus(account.accessToken)).toBe(401);
      expect(await meStatus(other.accessToken)).toBe(401);
      expect(await meStatus(bystander.accessToken)).toBe(200);
    });
  });

  describe('POST /auth/change-password', () => {
    it('answers 401 for a wrong current password and changes nothing', async () => {
      const account = await signUp(ctx.app);
      const response = await inject('POST', '/auth/change-password', account.accessToken, {
        currentPassword: 'not my password',
        newPassword: 'a brand new password',
      });
      expect(response.statusCode).toBe(401);
      expect((await logIn(ctx.app, account.email, account.password)).accessToken).toBeTruthy();
    });

    it('answers 400 for a new password that breaks the rules', async () => {
      const account = await signUp(ctx.app);
      const response = await inject('POST', '/auth/change-password', account.accessToken, {
        currentPassword: account.password,
        newPassword: 'short',
      });
      expect(response.statusCode).toBe(400);
    });

    it('changes the password and revokes every other session, keeping the current one', async () => {
      const account = await signUp(ctx.app);
      const other = await logIn(ctx.app, account.email, account.password);
      const response = await inject('POST', '/auth/change-password', account.accessToken, {
        currentPassword: account.password,
        newPassword: 'a brand new password',
      });
      expect(response.statusCode).toBe(204);

      expect(await refreshStatus(other.refreshToken)).toBe(401);
      expect(await meStatus(other.accessToken)).toBe(401);
      expect(await meStatus(account.accessToken)).toBe(200);
      expect(await refreshStatus(account.refreshToken)).toBe(200);

      const oldLogin = await ctx.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: account.email, password: account.password },
      });
      expect(oldLogin.statusCode).toBe(401);
      expect((await logIn(ctx.app, account.email, 'a brand new password')).accessToken).toBeTruthy();
    });
  });

  describe('GET /auth/sessions and DELETE /auth/sessions/:id', () => {
    it('lists the caller’s active sessions and marks the current one', async () => {
      const account = await signUp(ctx.app);
      await logIn(ctx.app, account.email, account.password);
      const response = await inject('GET', '/auth/sessions', account.accessToken);
      expect(response.statusCode).toBe(200);
      const sessions = response.json<{ id: string; current: boolean; createdAt: string; lastUsedAt: string; expiresAt: string }[]>();
      expect(sessions).toHaveLength(2);
      expect(sessions.filter((session) => session.current)).toHaveLength(1);
      expect(Object.keys(sessions[0]!).sort()).toEqual([
        'aal',
        'createdAt',
        'current',
        'device',
        'expiresAt',
        'id',
        'ip',
        'lastUsedAt',
        'userAgent',
      ]);
    });

    it('shows each session’s device (parsed from its user agent), level (aal 1) and address, updated by each refresh', async () => {
      const chrome =
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
      const account = await signUp(ctx.app);
      const login = await ctx.app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'user-agent': chrome },
        remoteAddress: '198.51.100.7',
        payload: { email: account.email, password: account.password },
      });
      const laptop = login.json<{ accessToken: string; refreshToken: string }>();
      const listed = async () =>
        (await inject('GET', '/auth/sessions', account.accessToken)).json<
          { current: boolean; device: string | null; ip: string; aal: number }[]
        >();

      expect(await listed()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ current: true, device: null, ip: '127.0.0.1', aal: 1 }),
          expect.objectContaining({ current: false, device: 'Chrome 131 on macOS', ip: '198.51.100.7', aal: 1 }),
        ]),
      );
      const refreshed = await ctx.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        remoteAddress: '203.0.113.9',
        payload: { refreshToken: laptop.refreshToken },
      });
      expect(refreshed.statusCode).toBe(200);
      expect((await listed()).find((session) => !session.current)).toMatchObject({ ip: '203.0.113.9', device: 'Chrome 131 on macOS' });
      expect(decodePayload(refreshed.json<{ accessToken: string }>().accessToken)).toMatchObject({ aal: 1 });
    });

    it('revokes one of the caller’s sessions, which then leaves the list', async () => {
      const account = await signUp(ctx.app);
      const tablet = await logIn(ctx.app, account.email, account.password);
      const sessions = (await inject('GET', '/auth/sessions', account.accessToken)).json<{ id: string; current: boolean }[]>();
      const tabletSession = sessions.find((session) => !session.current)!;

      expect((await inject('DELETE', `/auth/sessions/${tabletSession.id}`, account.accessToken)).statusCode).toBe(204);
      expect(await refreshStatus(tablet.refreshToken)).toBe(401);
      expect(await meStatus(tablet.accessToken)).toBe(401);
      const after = (await inject('GET', '/auth/sessions', account.accessToken)).json<{ id: string }[]>();
      expect(after.map((session) => session.id)).not.toContain(tabletSession.id);
      expect((await inject('DELETE', `/auth/sessions/${tabletSession.id}`, account.accessToken)).statusCode).toBe(404);
    });

    it('answers 404 for another user’s session and leaves it alone', async () => {
      const owner = await signUp(ctx.app);
      const stranger = await signUp(ctx.app);
      const [ownerSession] = (await inject('GET', '/auth/sessions', owner.accessToken)).json<{ id: string }[]>();
      const response = await inject('DELETE', `/auth/sessions/${ownerSession!.id}`, stranger.accessToken);
      expect(response.statusCode).toBe(404);
      expect(await meStatus(owner.accessToken)).toBe(200);
    });

    it('answers 400 for a malformed session id', async () => {
      const account = await signUp(ctx.app);
      expect((await inject('DELETE', '/auth/sessions/not-a-uuid', account.accessToken)).statusCode).toBe(400);
    });
  });

  describe('DELETE /auth/me', () => {
    it('answers 401 for a wrong password and deletes nothing', async () => {
      const account = await signUp(ctx.app);
      expect((await inject('DELETE', '/auth/me', account.accessToken, { password: 'wrong password' })).statusCode).toBe(401);
      expect(await ctx.app.prisma.user.count({ where: { id: account.user.id } })).toBe(1);
    });

    it('deletes the account with all its habits, goals, check-ins and sessions; its tokens stop', async () => {
      const account = await signUp(ctx.app);
      const bystander = await signUp(ctx.app);
      for (const owner of [account, bystander]) {
        await ctx.app.prisma.habit.create({
          data: {
            userId: owner.user.id,
            name: 'Read',
            goal: { create: { period: 'day', target: 1 } },
            trackings: { create: { date: new Date('2026-11-01') } },
          },
        });
      }

      const response = await inject('DELETE', '/auth/me', account.accessToken, { password: account.password });
      expect(response.statusCode).toBe(204);

      const { prisma } = ctx.app;
      const userId = account.user.id;
      expect(await prisma.user.count({ where: { id: userId } })).toBe(0);
      expect(await prisma.habit.count({ where: { userId } })).toBe(0);
      expect(await prisma.habitGoal.count({ where: { habit: { userId } } })).toBe(0);
      expect(await prisma.habitTracking.count({ where: { habit: { userId } } })).toBe(0);
      expect(await prisma.session.count({ where: { userId } })).toBe(0);
      expect(await prisma.refreshToken.count({ where: { userId } })).toBe(0);
      expect(await prisma.habitTracking.count({ where: { habit: { userId: bystander.user.id } } })).toBe(1);

      expect(await meStatus(account.accessToken)).toBe(401);
      expect(await refreshStatus(account.refreshToken)).toBe(401);
      const login = await ctx.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: account.email, password: account.password },
      });
      expect(login.statusCode).toBe(401);
    });
  });
});
