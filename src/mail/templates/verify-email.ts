/** "Verify your email address": sent at signup and on resend; link and code valid for 24 hours. */
import type { ActionEmail, RenderedEmail } from '../messages.js';
import { actionLink, composeEmail, PRODUCT_NAME } from './layout.js';

export function verifyEmail(message: ActionEmail, appUrl: string): RenderedEmail {
  return composeEmail({
    to: message.to,
    subject: 'Verify your email address',
    name: message.name,
    intro: [`Please confirm that ${message.to} is your email address for ${PRODUCT_NAME}.`],
    action: { url: actionLink(appUrl, 'verify-email', message.token), label: 'Verify email address', code: message.code },
    outro: [
      'The link and the code are valid for 24 hours and work once.',
      `If you did not create a ${PRODUCT_NAME} account, you can ignore this email.`,
    ],
  });
}
