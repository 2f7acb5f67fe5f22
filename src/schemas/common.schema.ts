/** Schema pieces shared by every route. */
import { STATUS_CODES } from 'node:http';
import { Type, type Static, type TNumber, type TObject, type TString } from '@sinclair/typebox';

const errorFields = { statusCode: Type.Integer(), error: Type.String(), message: Type.String() };

/** Fastify's error shape; every 4xx/5xx reply has it. */
export const ErrorResponse = Type.Object(errorFields, { title: 'Error' });
export type ErrorResponse = Static<typeof ErrorResponse>;

/** A typical message per status, for the documentation's examples. */
const EXAMPLE_MESSAGES: Record<number, string> = {
  400: 'body/name must NOT have fewer than 1 characters',
  401: 'Missing or malformed bearer token',
  404: 'Habit not found',
  409: 'You already have a habit with this name',
  413: 'Request body is too large',
  412: 'The item has changed since you read it (If-Match does not match its ETag): nothing was changed',
  415: "Unsupported Media Type: 'text/plain'",
  429: 'Too many requests: retry in 60 s',
  503: 'Service temporarily unavailable',
};

/** The error responses of a route, by status code, for its `response` schema. */
export function errorResponses(...codes: number[]): Record<number, TObject<typeof errorFields>> {
  return Object.fromEntries(
    codes.map((code) => {
      const error = STATUS_CODES[code] ?? 'Error';
      const example = { statusCode: code, error, message: EXAMPLE_MESSAGES[code] ?? error };
      return [code, Type.Object(errorFields, { title: 'Error', description: error, examples: [example] })];
    }),
  );
}

/**
 * `schema` or null as one nullable object type (`type: ['object', 'null']`) rather than an anyOf:
 * fast-json-stringify serializes it after a null check, where it checks each value of an anyOf
 * against each branch with Ajv (formats included: ~3 µs an object, 5 % of GET /today's CPU).
 * The OpenAPI document is the same (@fastify/swagger writes both as `nullable: true`).
 */
export const NullableObject = <T extends TObject>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, type: ['object', 'null'] });

/**
 * A reply's string or number that may be null, as one nullable type for the same reason: against an
 * anyOf, a null first fails the string branch, and Ajv builds that failure's error objects (the
 * four null columns of each habit were 17 % of what a `GET /habits` of 20 habits allocated).
 * Request schemas keep `Type.Union([…, Type.Null()])`, whose errors the 400s are made of.
 */
export const NullableScalar = <T extends TString | TNumber>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });

/** An ISO 8601 UTC timestamp on the wire; in handlers a Date (the serializer formats it) or that string already made. */
export const Timestamp = Type.Unsafe<Date | string>(Type.String({ format: 'date-time', examples: ['2026-11-29T22:42:44.000Z'] }));

// The pattern as well: the `uuid` format also accepts a `urn:uuid:` prefix, which PostgreSQL does not.
export const Uuid = Type.String({
  format: 'uuid',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  examples: ['3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b'],
});

/**
 * A calendar day; impossible dates such as 2025-02-30 fail the `date` format. Years are limited to
 * 1900–2999 so date arithmetic never leaves what PostgreSQL and ISO strings represent (no year 0).
 */
export const CalendarDate = Type.String({
  format: 'date',
  pattern: '^(19|2[0-9])[0-9]{2}-',
  description: 'A calendar day, YYYY-MM-DD, in the years 1900–2999',
  examples: ['2026-11-29'],
});

export const IdParams = Type.Object({ id: Uuid });
export type IdParams = Static<typeof IdParams>;

export const MAX_PAGE_SIZE = 100;
export const Pagination = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

/** The OpenAPI `security` of a route that needs an access token. */
export const BearerAuth = [{ bearerAuth: [] }];

/** 204 responses have no body. */
export const NoContent = Type.Null({ description: 'No content' });

/** Offline sync: 1 when created, larger after every write that changes the item (set by the database, see GET /sync). */
export const Version = Type.Integer({ minimum: 1, description: '1 when created, larger after every change (offline sync: GET /sync)' });
