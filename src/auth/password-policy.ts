/**
 * The password rules beyond length (NewPassword in src/schemas/auth.schema.ts), at signup,
 * change-password and reset: not one of the 10,000 most common passwords, and not containing the
 * local part of the account's email address (when it has 3 characters or more), ignoring letter case.
 *
 * The list is the top of zxcvbn-ts's `passwords-common` dictionary (@zxcvbn-ts/language-common, MIT),
 * ranked by frequency in leaked password sets; loaded once, when this module is first imported.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const COMMON_PASSWORDS_CHECKED = 10_000;
export const PASSWORD_TOO_COMMON = 'This password is too common';
const MIN_LOCAL_PART = 3;

const commonPasswords = new Set(
  dictionary['passwords-common'].slice(0, COMMON_PASSWORDS_CHECKED).map((password) => password.toLowerCase()),
);

/** Whether `password` breaks the rules for the account whose address is `email`. */
export function isTooCommon(password: string, email: string): boolean {
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) return true;
  const localPart = email.slice(0, email.lastIndexOf('@')).toLowerCase();
  return localPart.length >= MIN_LOCAL_PART && lowered.includes(localPart);
}
