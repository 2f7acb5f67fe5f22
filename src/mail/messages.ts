/**
 * The emails the service sends, as data: what the queue stores (the secrets sealed, see
 * src/services/mail.service.ts) and what src/mail/render.ts turns into a subject, a text and an HTML part.
 */

/** Emails that ask for an action: a link with `token`, and the same action's 6-digit `code`. */
export interface ActionEmail {
  kind: 'verify-email' | 'reset-password' | 'confirm-email-change';
  to: string;
  name: string | null;
  token: string;
  code: string;
}

/** Notices: no link, no code. `email-changed` goes to the old address and names the new one. */
export type NoticeEmail =
  | { kind: 'password-changed'; to: string; name: string | null }
  | { kind: 'mfa-enabled'; to: string; name: string | null }
  | { kind: 'mfa-disabled'; to: string; name: string | null }
  | { kind: 'email-changed'; to: string; name: string | null; newEmail: string };

export type EmailMessage = ActionEmail | NoticeEmail;

export interface RenderedEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}
