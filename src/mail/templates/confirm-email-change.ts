/** "Confirm your new email address": sent to the NEW address on an email change; valid for 24 hours. */
import type { ActionEmail, RenderedEmail } from '../messages.js';
import { actionLink, composeEmail, PRODUCT_NAME } from './layout.js';

export function confirmEmailChange(message: ActionEmail, appUrl: string): RenderedEmail {
  return composeEmail({
    to: message.to,
    subject: 'Confirm your new email address',
    name: message.name,
    intro: [`Please confirm that you want to use ${message.to} as the email address of your ${PRODUCT_NAME} account.`],
    // The client app's verify-email page handles both purposes: the token says which.
    action: { url: actionLink(appUrl, 'verify-email', message.token), label: 'Confirm new email address', code: message.code },
    outro: [
      'The link and the code are valid for 24 hours and work once. Your account keeps its current address until you confirm.',
      'If you did not ask for this change, you can ignore this email.',
    ],
  });
}
