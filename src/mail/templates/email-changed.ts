/** Notice "Your email address was changed": sent to the OLD address, naming the new one. */
import type { NoticeEmail, RenderedEmail } from '../messages.js';
import { composeEmail, PRODUCT_NAME } from './layout.js';

export function emailChanged(message: Extract<NoticeEmail, { kind: 'email-changed' }>): RenderedEmail {
  return composeEmail({
    to: message.to,
    subject: 'Your email address was changed',
    name: message.name,
    intro: [
      `The email address of your ${PRODUCT_NAME} account was changed from ${message.to} to ${message.newEmail}.`,
      'Emails about your account now go to the new address.',
    ],
    outro: [
      'If you made this change, there is nothing more to do.',
      'If you did not, contact support right away: someone else may have access to your account.',
    ],
  });
}
