import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/http/logger.js';
import { useTestApp } from '../helpers/app.js';
import { bearer } from '../helpers/factories.js';
import { logCapture } from '../helpers/logs.js';

describe('logs', () => {
  const { stream, lines } = logCapture();
  // The production logger configuration, at the most verbose level, into memory.
  const production = loggerOptions({ env: 'production', logLevel: 'trace' }) as object;
  const ctx = useTestApp({}, { logger: { ...production, stream } });

  it('write one line per request with its id, route, status and duration', async () => {
    lines.length = 0;
    const habitId = '00000000-0000-4000-8000-000000000000';
    await ctx.app.inject({ method: 'GET', url: `/habits/${habitId}` });
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      msg: 'request completed',
      reqId: expect.any(String),
      method: 'GET',
      route: '/habits/:id',
      url: `/habits/${habitId}`,
      statusCode: 401,
      durationMs: expect.any(Number),
    });
  });

  it('never contain a password, a token or an Authorization header, at any level', async () => {
    lines.length = 0;
    const email = 'logged@example.com';
    const password = 'a very secret password';
    const signup = await ctx.app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password } });
    const { accessToken, refreshToken } = signup.json<{ accessToken: string; refreshToken: string }>();
    await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'wrong password' } });
    await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(accessToken) });
    const refreshed = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
    await ctx.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(accessToken), payload: { refreshToken } });

    const stored = await ctx.app.prisma.user.findUniqueOrThrow({ where: { email } });
    const output = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const secret of [
      password,
      'wrong password',
      accessToken,
      refreshToken,
      refreshed.json<{ refreshToken: string }>().refreshToken,
      stored.password,
    ]) {
      expect(output).not.toContain(secret);
    }
  });

  it('redact credentials even when code logs them by mistake', () => {
    lines.length = 0;
    ctx.app.log.info(
      { headers: { authorization: 'Bearer abc.def.ghi' }, body: { password: 'hunter22', refreshToken: 'r.t.k' } },
      'careless',
    );
    const entry = JSON.parse(lines[0]!) as { headers: { authorization: string }; body: Record<string, string> };
    expect(entry.headers.authorization).toBe('[redacted]');
    expect(entry.body).toEqual({ password: '[redacted]', refreshToken: '[redacted]' });
  });
});
