/** Notices "Two-factor sign-in was turned on" and "… turned off": no link, no code. */
import type { NoticeEmail, RenderedEmail } from '../messages.js';
import { composeEmail, PRODUCT_NAME } from './layout.js';

export function twoFactorChanged(message: Extract<NoticeEmail, { kind: 'mfa-enabled' | 'mfa-disabled' }>): RenderedEmail {
  const on = message.kind === 'mfa-enabled';
  return composeEmail({
    to: message.to,
    subject: on ? 'Two-factor sign-in was turned on' : 'Two-factor sign-in was turned off',
    name: message.name,
    intro: [
      on
        ? `Two-factor sign-in was just turned on for your ${PRODUCT_NAME} account (${message.to}): signing in now also asks for a code from your authenticator app.`
        : `Two-factor sign-in was just turned off for your ${PRODUCT_NAME} account (${message.to}): signing in now asks only for your password.`,
    ],
    outro: [
      'If you made this change, there is nothing more to do.',
      'If you did not, reset your password right away with "Forgot password" on the sign-in page, and contact support.',
    ],
  });
}
