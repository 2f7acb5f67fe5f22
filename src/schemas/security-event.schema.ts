/** GET /auth/events: the caller's security activity. */
import { Type, type Static } from '@sinclair/typebox';
import { Device } from './auth.schema.js';
import { NullableScalar, Pagination, Timestamp, Uuid } from './common.schema.js';

/** The contract's event types (the database enum SecurityEventType; mfa_* are written once two-factor sign-in exists). */
export const SECURITY_EVENT_TYPES = [
  'signup',
  'login',
  'login_failed',
  'mfa_failed',
  'refresh_reuse_detected',
  'logout',
  'logout_all',
  'session_revoked',
  'password_changed',
  'password_reset_requested',
  'password_reset',
  'email_verified',
  'email_changed',
  'mfa_enabled',
  'mfa_disabled',
] as const;

export const SecurityEvent = Type.Object(
  {
    id: Uuid,
    type: Type.Union(
      SECURITY_EVENT_TYPES.map((type) => Type.Literal(type)),
      { description: 'What happened' },
    ),
    createdAt: Timestamp,
    ip: NullableScalar(Type.String({ description: 'The client address of the request that caused it' })),
    device: Device,
    sessionId: NullableScalar({
      ...Uuid,
      description:
        'The session it is about: the one started (signup, login), ended (logout, session_revoked, refresh_reuse_detected) ' +
        'or acted from (logout_all, password_changed, email_changed, email_verified with an access token); otherwise null',
    }),
  },
  { title: 'SecurityEvent' },
);

export const ListSecurityEventsQuery = Type.Object({
  limit: Pagination.limit,
  before: Type.Optional(
    Type.String({
      format: 'uuid',
      pattern: Uuid.pattern,
      description:
        'The `id` of the last event of the previous page: the page then holds the events older than it ' +
        '(an id that is not one of your events, e.g. one deleted after 90 days, gives an empty page)',
    }),
  ),
});
export type ListSecurityEventsQuery = Static<typeof ListSecurityEventsQuery>;
