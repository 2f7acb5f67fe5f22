/** Turns an `EmailMessage` into its subject, text part and HTML part, with one template per kind (src/mail/templates/). */
import type { EmailMessage, RenderedEmail } from './messages.js';
import { confirmEmailChange } from './templates/confirm-email-change.js';
import { emailChanged } from './templates/email-changed.js';
import { passwordChanged } from './templates/password-changed.js';
import { resetPassword } from './templates/reset-password.js';
import { twoFactorChanged } from './templates/two-factor-changed.js';
import { verifyEmail } from './templates/verify-email.js';

/** `appUrl`: where links point, an origin (`https://app.example`) or a deep-link base (`habits://`). */
export function renderEmail(message: EmailMessage, appUrl: string): RenderedEmail {
  switch (message.kind) {
    case 'verify-email':
      return verifyEmail(message, appUrl);
    case 'reset-password':
      return resetPassword(message, appUrl);
    case 'confirm-email-change':
      return confirmEmailChange(message, appUrl);
    case 'password-changed':
      return passwordChanged(message);
    case 'email-changed':
      return emailChanged(message);
    case 'mfa-enabled':
    case 'mfa-disabled':
      return twoFactorChanged(message);
  }
}
