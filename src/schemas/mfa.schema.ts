/** Request and response schemas of two-factor sign-in (/auth/mfa). */
import { Type, type Static } from '@sinclair/typebox';
import { Password, UseCookie } from './auth.schema.js';

const TotpCode = Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code of the authenticator app', examples: ['123456'] });
const RecoveryCode = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'One of the recovery codes, e.g. ABCDE-FGHJK',
  examples: ['ABCDE-FGHJK'],
});
const MfaToken = Type.String({ minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9_-]+$', description: 'From the login reply' });

export const EnrolTotpBody = Type.Object({ password: Password });
export type EnrolTotpBody = Static<typeof EnrolTotpBody>;

export const TotpEnrolment = Type.Object(
  {
    secret: Type.String({ description: 'Base32, for typing into an authenticator app' }),
    otpauthUrl: Type.String({ description: 'otpauth://totp/… for authenticator apps' }),
    qrSvg: Type.String({ description: 'The otpauth URL as an SVG QR code, in a data: URL' }),
  },
  { title: 'TotpEnrolment' },
);

export const CodeBody = Type.Object({ code: TotpCode });
export type CodeBody = Static<typeof CodeBody>;

export const RecoveryCodes = Type.Object(
  { recoveryCodes: Type.Array(Type.String(), { minItems: 10, maxItems: 10, description: 'Shown this once; each works once' }) },
  { title: 'RecoveryCodes' },
);

/**
 * `code` or `recoveryCode` (exactly one): one object rather than a union, because the app's Ajv removes
 * unknown properties, which would strip one branch's fields while trying the other.
 */
const SecondFactorFields = { code: Type.Optional(TotpCode), recoveryCode: Type.Optional(RecoveryCode) };

export const DisableTotpBody = Type.Object(
  { password: Password, ...SecondFactorFields },
  { description: 'The password, and `code` or `recoveryCode`' },
);
export type DisableTotpBody = Static<typeof DisableTotpBody>;

export const VerifyMfaBody = Type.Object(
  { mfaToken: MfaToken, ...SecondFactorFields, useCookie: UseCookie },
  { description: '`mfaToken`, and `code` or `recoveryCode`; `useCookie` as at login' },
);
export type VerifyMfaBody = Static<typeof VerifyMfaBody>;
