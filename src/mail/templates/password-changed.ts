/** Notice "Your password was changed": no link, no code. */
import type { NoticeEmail, RenderedEmail } from '../messages.js';
import { composeEmail, PRODUCT_NAME } from './layout.js';

export function passwordChanged(message: Extract<NoticeEmail, { kind: 'password-changed' }>): RenderedEmail {
  return composeEmail({
    to: message.to,
    subject: 'Your password was changed',
    name: message.name,
    intro: [`The password of your ${PRODUCT_NAME} account (${message.to}) was just changed.`],
    outro: [
      'If you made this change, there is nothing more to do.',
      'If you did not, reset your password right away with "Forgot password" on the sign-in page, and contact support.',
    ],
  });
}
