/** Request and response schemas of /auth. One schema validates, types and documents each shape. */
import { Type, type Static } from '@sinclair/typebox';
import { MAX_PASSWORD_BYTES } from '../auth/passwords.js';
import { NullableScalar, Timestamp, Uuid } from './common.schema.js';

export const Email = Type.String({ format: 'email', maxLength: 254, examples: ['alice@example.com'] });

/** A password being set: 8 characters at least, and at most 72 bytes in UTF-8 (bcrypt's limit). */
export const NewPassword = Type.String({
  minLength: 8,
  'x-maxBytes': MAX_PASSWORD_BYTES,
  description: `8 characters to ${MAX_PASSWORD_BYTES} bytes in UTF-8 (bcrypt's limit; longer is refused, never truncated)`,
  examples: ['correct horse battery staple'],
});

/** A password being checked: anything non-empty within bcrypt's limit. */
export const Password = Type.String({ minLength: 1, 'x-maxBytes': MAX_PASSWORD_BYTES });

export const Name = Type.String({ minLength: 1, maxLength: 100, examples: ['Alice'] });
export const Timezone = Type.String({
  format: 'iana-timezone',
  description: 'IANA time zone, e.g. Europe/Berlin or UTC',
  examples: ['Europe/Berlin'],
});

const Jwt = Type.String({ minLength: 1, maxLength: 4096 });

/** Cookie mode for browser apps: the refresh token goes into an HttpOnly cookie instead of the JSON. */
export const UseCookie = Type.Optional(
  Type.Boolean({
    description:
      'Browser apps: set the refresh token as the HttpOnly cookie `refresh_token` (Path=/auth) and leave `refreshToken` out of the reply',
  }),
);

export const SignupBody = Type.Object({
  email: Email,
  password: NewPassword,
  name: Type.Optional(Name),
  timezone: Type.Optional(Timezone),
  useCookie: UseCookie,
});
export type SignupBody = Static<typeof SignupBody>;

export const LoginBody = Type.Object({ email: Email, password: Password, useCookie: UseCookie });
export type LoginBody = Static<typeof LoginBody>;

/** Without `refreshToken`, the `refresh_token` cookie is used (cookie mode). */
export const RefreshTokenBody = Type.Object({ refreshToken: Type.Optional(Jwt) });
export type RefreshTokenBody = Static<typeof RefreshTokenBody>;

export const LogoutBody = Type.Object({ refreshToken: Type.Optional(Jwt) });
export type LogoutBody = Static<typeof LogoutBody>;

export const DayStartHour = Type.Integer({
  minimum: 0,
  maximum: 23,
  description: 'The hour (in `timezone`) at which your day begins: with 4, 02:30 still belongs to the day before. Default 0.',
});

export const UpdateMeBody = Type.Object({
  name: Type.Optional(Type.Union([Name, Type.Null()])),
  timezone: Type.Optional(Timezone),
  dayStartHour: Type.Optional(DayStartHour),
});
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const DeleteMeBody = Type.Object({ password: Password });
export type DeleteMeBody = Static<typeof DeleteMeBody>;

export const ChangePasswordBody = Type.Object({ currentPassword: Password, newPassword: NewPassword });
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const SessionParams = Type.Object({ id: Uuid });

export const User = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    name: NullableScalar(Type.String()),
    timezone: Type.String(),
    dayStartHour: Type.Integer(),
    emailVerified: Type.Boolean({ description: 'Whether the user proved they receive mail at `email`' }),
    mfaEnabled: Type.Boolean({ description: 'Whether signing in asks for a code of an authenticator app (TOTP)' }),
    createdAt: Timestamp,
  },
  { title: 'User' },
);

export const TokenPair = Type.Object({
  accessToken: Type.String({ description: 'JWT, 15 minutes; send as `Authorization: Bearer <token>`' }),
  refreshToken: Type.Optional(
    Type.String({ description: 'JWT, 7 days; exchange at POST /auth/refresh. Absent in cookie mode: it is in the `refresh_token` cookie' }),
  ),
});

export const AuthResponse = Type.Object({ ...TokenPair.properties, user: User }, { title: 'AuthResponse' });

/**
 * Login's reply: AuthResponse, or for a user with two-factor sign-in on `{ mfaRequired: true, mfaToken }`
 * and no tokens (POST /auth/mfa/verify then issues them). One object rather than a union, as for signup.
 */
export const LoginResponse = Type.Object(
  {
    accessToken: Type.Optional(TokenPair.properties.accessToken),
    refreshToken: Type.Optional(TokenPair.properties.refreshToken),
    user: Type.Optional(User),
    mfaRequired: Type.Optional(Type.Literal(true, { description: 'Two-factor sign-in is on: send a code to POST /auth/mfa/verify' })),
    mfaToken: Type.Optional(Type.String({ description: 'For POST /auth/mfa/verify: 5 minutes, single use, dead after 5 wrong codes' })),
  },
  { title: 'LoginResponse' },
);

/**
 * Signup's reply: AuthResponse, or with REQUIRE_EMAIL_VERIFICATION `{ user, verificationRequired: true }`
 * and no tokens until the address is verified. One object rather than a union, which OpenAPI 3.0
 * clients and the serializer handle poorly.
 */
export const SignupResponse = Type.Object(
  {
    accessToken: Type.Optional(TokenPair.properties.accessToken),
    refreshToken: Type.Optional(TokenPair.properties.refreshToken),
    user: User,
    verificationRequired: Type.Optional(
      Type.Literal(true, { description: 'Only with REQUIRE_EMAIL_VERIFICATION: no tokens; verify the address, then log in' }),
    ),
  },
  { title: 'SignupResponse' },
);

/** A short name for a client, parsed from its user agent when listing (src/utils/device.ts). */
export const Device = NullableScalar(
  Type.String({
    description: 'A short name parsed from the user agent, e.g. `Chrome 131 on macOS` or `curl 8`; null when nothing useful can be read',
    examples: ['Chrome 131 on macOS'],
  }),
);

export const Aal = Type.Integer({
  minimum: 1,
  maximum: 2,
  description: 'Authenticator assurance level: 1 = password, 2 = password and a second factor',
});

export const Session = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The `sid` carried by this session’s tokens' }),
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  expiresAt: Timestamp,
  userAgent: NullableScalar(Type.String()),
  device: Device,
  ip: NullableScalar(Type.String({ description: 'The client address the session was last used from (its login or latest refresh)' })),
  aal: Aal,
  current: Type.Boolean({ description: 'Whether this is the caller’s own session' }),
});
