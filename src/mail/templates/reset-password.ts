/** "Reset your password": sent on a forgot-password request; link and code valid for 30 minutes. */
import type { ActionEmail, RenderedEmail } from '../messages.js';
import { actionLink, composeEmail, PRODUCT_NAME } from './layout.js';

export function resetPassword(message: ActionEmail, appUrl: string): RenderedEmail {
  return composeEmail({
    to: message.to,
    subject: 'Reset your password',
    name: message.name,
    intro: [`Someone asked to reset the password of your ${PRODUCT_NAME} account (${message.to}). To choose a new password:`],
    action: { url: actionLink(appUrl, 'reset-password', message.token), label: 'Reset password', code: message.code },
    outro: [
      'The link and the code are valid for 30 minutes and work once.',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ],
  });
}
