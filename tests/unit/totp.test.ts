import { describe, expect, it } from 'vitest';
import { enrolment, matchStep, newTotpSecret, stepAt } from '../../src/auth/totp.js';
import { hotp, totpCode } from '../helpers/totp.js';

describe('the tests’ TOTP helper', () => {
  // RFC 6238, Appendix B, SHA-1 rows (8 digits, key "12345678901234567890").
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('gives the RFC 6238 test vector at T = %i', (seconds, expected) => {
    expect(hotp(Buffer.from('12345678901234567890'), Math.floor(seconds / 30), 8)).toBe(expected);
  });
});

describe('src/auth/totp.ts', () => {
  it('makes 160-bit base32 secrets', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('accepts the code of now and of one step either side (returning that step), and nothing further', () => {
    const secret = newTotpSecret();
    const now = new Date();
    for (const offset of [-1, 0, 1]) expect(matchStep(secret, totpCode(secret, now, offset), now)).toBe(stepAt(now) + offset);
    for (const offset of [-3, -2, 2, 3]) {
      const code = totpCode(secret, now, offset);
      // A code of a far step may equal one of the window by chance (1 in 10^6 per step).
      if (![-1, 0, 1].some((near) => totpCode(secret, now, near) === code)) expect(matchStep(secret, code, now)).toBeNull();
    }
    expect(matchStep(secret, 'abcdef', now)).toBeNull();
    expect(matchStep(secret, '1234567', now)).toBeNull();
  });

  it('enrols with an otpauth URL and an SVG data URL of it', async () => {
    const secret = newTotpSecret();
    const { otpauthUrl, qrSvg } = await enrolment(secret, 'ada@example.com');
    expect(otpauthUrl).toBe(
      `otpauth://totp/Habit%20Tracker:ada%40example.com?issuer=Habit%20Tracker&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(qrSvg).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qrSvg.split(',')[1]!, 'base64').toString()).toContain('<svg');
  });
});
