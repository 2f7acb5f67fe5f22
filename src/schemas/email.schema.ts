/** Request and response schemas of the email flows: password reset, address verification and change. */
import { Type, type Static } from '@sinclair/typebox';
import { Email, NewPassword, Password } from './auth.schema.js';

/** A link's token: 32 random bytes in base64url (43 characters). */
const EmailToken = Type.String({
  minLength: 1,
  maxLength: 256,
  pattern: '^[A-Za-z0-9_-]+$',
  examples: ['q9Zc3bW1xT0aHk2mYvR8sJ5nLpE4uD7fGiO6wQrAyNc'],
});
const Code = Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code of the same email', examples: ['123456'] });

/**
 * `{ token }` from a link, or `{ email, code }` typed by the user. One object rather than a union:
 * the app's Ajv removes unknown properties, which would strip one branch's fields while trying the other.
 * The route checks that one of the two forms is complete.
 */
const Proof = {
  token: Type.Optional(EmailToken),
  email: Type.Optional(Email),
  code: Type.Optional(Code),
};

export const ForgotPasswordBody = Type.Object({ email: Email });
export type ForgotPasswordBody = Static<typeof ForgotPasswordBody>;

export const ResetPasswordBody = Type.Object(
  { ...Proof, newPassword: NewPassword },
  { description: 'Send `token`, or `email` and `code`' },
);
export type ResetPasswordBody = Static<typeof ResetPasswordBody>;

export const VerifyEmailBody = Type.Object(Proof, { description: 'Send `token`, or `email` and `code`' });
export type VerifyEmailBody = Static<typeof VerifyEmailBody>;

export const ResendVerificationBody = Type.Object({ email: Type.Optional(Email) }, { description: '`email` only without an access token' });
export type ResendVerificationBody = Static<typeof ResendVerificationBody>;

export const ChangeEmailBody = Type.Object({ newEmail: Email, password: Password });
export type ChangeEmailBody = Static<typeof ChangeEmailBody>;

export const Accepted = Type.Object({ message: Type.String() }, { title: 'Accepted' });
