import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { bearer, uniqueEmail } from '../helpers/factories.js';

describe('the authentication walk-through', () => {
  const ctx = useTestApp();

  it('signup → login → protected route → 401 without token → refresh → logout → revoked refresh refused', async () => {
    const { app } = ctx;
    const email = uniqueEmail('walk');
    const password = 'correct horse battery';

    const signup = await app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password, name: 'Walker' } });
    expect(signup.statusCode).toBe(201);
    expect(signup.json()).toMatchObject({ user: { email, name: 'Walker', timezone: 'UTC' } });

    const login = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
    expect(login.statusCode).toBe(200);
    const { accessToken, refreshToken } = login.json<{ accessToken: string; refreshToken: string }>();

    const me = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email, name: 'Walker' });

    const anonymous = await app.inject({ method: 'GET', url: '/auth/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });

    const refreshed = await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    const pair = refreshed.json<{ accessToken: string; refreshToken: string }>();
    expect(pair.refreshToken).not.toBe(refreshToken);

    const logout = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(pair.accessToken),
      payload: { refreshToken: pair.refreshToken },
    });
    expect(logout.statusCode).toBe(204);
    expect(logout.body).toBe('');

    const revoked = await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: pair.refreshToken } });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid refresh token' });
  });
});
