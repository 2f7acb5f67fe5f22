/** Schema pieces shared by every route. */
import { Type, type Static } from '@sinclair/typebox';

/** Fastify's error shape; every 4xx/5xx reply has it. */
export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer({ examples: [404] }),
    error: Type.String({ examples: ['Not Found'] }),
    message: Type.String({ examples: ['Habit not found'] }),
  },
  { $id: 'ErrorResponse', title: 'Error' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/** An ISO 8601 UTC timestamp on the wire; a Date in handlers (the serializer formats it). */
export const Timestamp = Type.Unsafe<Date>(Type.String({ format: 'date-time', examples: ['2026-11-29T22:42:44.000Z'] }));
