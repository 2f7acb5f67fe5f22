/**
 * The password rules (API.md, "Passwords and sign-in protection"): one of the 10,000 most common
 * passwords, in any letter case, or one containing the address's local part, is a 400 at signup,
 * change-password and reset, and changes nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, logIn, signUp, uniqueEmail } from '../helpers/factories.js';
import { startSmtpServer } from '../helpers/smtp.js';

const smtp = await startSmtpServer();
afterAll(() => smtp.stop());

const TOO_COMMON = { statusCode: 400, error: 'Bad Request', message: 'This password is too common' };
const COMMON = ['password123', 'PASSWORD123', 'Iloveyou1', 'qwertyuiop'];
const GOOD = 'a sound new passphrase';

describe('password policy', () => {
  const base = testConfig('postgresql://unused');
  const ctx = useTestApp({ mail: { ...base.mail, smtpUrl: smtp.url } });

  it('refuses common passwords in any letter case at signup, and creates no account', async () => {
    for (const password of COMMON) {
      const email = uniqueEmail();
      const response = await ctx.app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password } });
      expect(response.json(), password).toEqual(TOO_COMMON);
      const login = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
      expect(login.statusCode).toBe(401);
    }
  });

  it('refuses a password containing the local part of the address (3+ characters), ignoring case', async () => {
    const email = uniqueEmail('Marguerite');
    const localPart = email.split('@')[0]!;
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/auth/signup',
      payload: { email, password: `my ${localPart.toUpperCase()} pass` },
    });
    expect(response.json()).toEqual(TOO_COMMON);
  });

  it('refuses them at change-password, keeping the old password', async () => {
    const user = await signUp(ctx.app);
    for (const newPassword of [COMMON[1]!, `x-${user.email.split('@')[0]}-x`]) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/auth/change-password',
        headers: bearer(user.accessToken),
        payload: { currentPassword: user.password, newPassword },
      });
      expect(response.json(), newPassword).toEqual(TOO_COMMON);
    }
    await logIn(ctx.app, user.email, user.password);
  });

  it('refuses them at reset; the token stays usable for a sound password', async () => {
    const user = await signUp(ctx.app);
    await ctx.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: user.email } });
    const email = await smtp.waitForEmail(user.email, { subject: /reset/i });

    const refused = await ctx.app.inject({
      method: 'POST',
      url: '/auth/password/reset',
      payload: { token: email.token, newPassword: 'Password123' },
    });
    expect(refused.json()).toEqual(TOO_COMMON);
    const byCode = await ctx.app.inject({
      method: 'POST',
      url: '/auth/password/reset',
      payload: { email: user.email, code: email.code, newPassword: 'qwertyuiop' },
    });
    expect(byCode.json()).toEqual(TOO_COMMON);
    await logIn(ctx.app, user.email, user.password);

    const accepted = await ctx.app.inject({
      method: 'POST',
      url: '/auth/password/reset',
      payload: { token: email.token, newPassword: GOOD },
    });
    expect(accepted.statusCode).toBe(204);
    await logIn(ctx.app, user.email, GOOD);
  });
});
