import { describe, expect, it } from 'vitest';
import { dictionary } from '@zxcvbn-ts/language-common';
import { COMMON_PASSWORDS_CHECKED, isTooCommon } from '../../src/auth/password-policy.js';

describe('password policy', () => {
  const list = dictionary['passwords-common'];

  it('refuses the most common passwords in any letter case', () => {
    for (const password of ['password', 'PASSWORD', 'PassWord', 'iloveyou', 'ILoveYou', 'qwertyuiop', 'password123']) {
      expect(isTooCommon(password, 'someone@example.com'), password).toBe(true);
    }
  });

  it('checks the first 10,000 of the ranked list, and not beyond', () => {
    expect(isTooCommon(list[COMMON_PASSWORDS_CHECKED - 1]!, 'x@example.com')).toBe(true);
    const beyond = list.slice(COMMON_PASSWORDS_CHECKED).find((password) => !list.slice(0, COMMON_PASSWORDS_CHECKED).includes(password))!;
    expect(isTooCommon(beyond, 'x@example.com')).toBe(false);
  });

  it('refuses a password containing the address’s local part of 3 characters or more, ignoring case', () => {
    expect(isTooCommon('my-Alice.Smith-2026!', 'alice.smith@example.com')).toBe(true);
    expect(isTooCommon('zzALIzz-long-enough', 'ali@example.com')).toBe(true);
    // Two characters are too short to count.
    expect(isTooCommon('al-is-in-here-somewhere', 'al@example.com')).toBe(false);
  });

  it('accepts an uncommon password that does not contain the local part', () => {
    expect(isTooCommon('correct horse battery staple', 'alice@example.com')).toBe(false);
    expect(isTooCommon('Tr0ub4dor&3-plus', 'bob@example.com')).toBe(false);
  });
});
