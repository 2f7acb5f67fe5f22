/**
 * The password rules beyond length (NewPassword in src/schemas/auth.schema.ts), at signup,
 * change-password and reset: not one of the 10,000 most common passwords, and not containing the
 * local part of the account's email address (when it has 3 characters or more), ignoring letter case.
 *
 * The list is the top of zxcvbn-ts's `passwords-common` dictionary (@zxcvbn-ts/language-common, MIT),
 * ranked by frequency in leaked password sets; loaded once, when this module is first imported. It is
 * read from the package's plain JSON copy rather than imported: the import would keep all 49,233
 * entries and the package's compressed copy in the heap for good (~2.3 MB, issue 18's memory target).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const PASSWORDS_FILE = createRequire(import.meta.url).resolve('@zxcvbn-ts/language-common/src/passwords.json');

export const COMMON_PASSWORDS_CHECKED = 10_000;
export const PASSWORD_TOO_COMMON = 'This password is too common';
const MIN_LOCAL_PART = 3;

const commonPasswords = new Set(
  (JSON.parse(readFileSync(PASSWORDS_FILE, 'utf8')) as string[])
    .slice(0, COMMON_PASSWORDS_CHECKED)
    .map((password) => password.toLowerCase()),
);

/** Whether `password` breaks the rules for the account whose address is `email`. */
export function isTooCommon(password: string, email: string): boolean {
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) return true;
  const localPart = email.slice(0, email.lastIndexOf('@')).toLowerCase();
  return localPart.length >= MIN_LOCAL_PART && lowered.includes(localPart);
}
