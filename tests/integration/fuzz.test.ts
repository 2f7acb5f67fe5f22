/**
 * Property-based fuzzing of every route (fast-check): thousands of malformed, hostile and random
 * requests — random JSON, right keys with wrong types, huge strings, odd Unicode, numbers JSON cannot
 * hold (1e400, -0, 5000 digits) written as raw JSON text, prototype-pollution keys, malformed JSON,
 * odd content types, garbage path parameters and query strings, missing, garbage and forged tokens;
 * and garbage `Cookie` headers (huge, malformed, many `refresh_token` cookies, non-ASCII, real and
 * forged tokens) with and without the Origin and `X-Requested-With` that cookie mode asks for.
 *
 * For each: never a 5xx; every error is JSON `{ statusCode, error, message }` that leaks nothing and
 * echoes no huge input; a missing or bad token gets 401 from a protected route and never a 2xx; where
 * the token is optional (POST /auth/email/verify and /auth/email/verify/resend) a missing token is no
 * 401 but a bad one is; B never gets a 2xx on A's habit or session, and GET /sync (with B's, A's,
 * hand-made and junk cursors, and limits out of range) never shows B anything of A's; POST /sync (changes
 * with A's, B's, new and junk ids, dates, baseVersions and `data`) gives one result per change, always
 * `rejected` for A's habit, goal or check-in, and shows B nothing of A's. Random email tokens and codes,
 * also for A's address, get nowhere. Afterwards A's data is unchanged, A's tokens and password still
 * work, B's session survived every route that cannot end it, and Object.prototype is not polluted.
 * Cookie mode (API.md, "Browser apps: the refresh token in a cookie"): the refresh token is in the
 * JSON or in an HttpOnly `refresh_token` cookie (Path=/auth, Secure, SameSite=Strict), never both;
 * a refresh by the cookie succeeds only from the allowed Origin with `X-Requested-With: fetch`; a 403
 * sets no cookie; a bare POST to a route whose body is optional is no 400.
 * One deterministic test checks tokens that pair a live session with another user's id. The summary
 * (requests, time, statuses per route, statuses missing from the OpenAPI document) is printed at the end.
 *
 * Random seeds each run; reproduce a failure with the seed fast-check prints:
 * FUZZ_SEED=<seed> npx vitest run tests/integration/fuzz.test.ts (FUZZ_RUNS=<n> runs per route).
 */
import { createHmac, randomUUID } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig, useTestApp } from '../helpers/app.js';
import { bearer, logIn, signUp, type SignedUpUser } from '../helpers/factories.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Every operation of the API; checked against the OpenAPI document (and so against the routes). */
const ROUTES: { method: Method; path: string }[] = [
  { method: 'GET', path: '/health' },
  { method: 'POST', path: '/auth/signup' },
  { method: 'POST', path: '/auth/login' },
  { method: 'POST', path: '/auth/refresh' },
  { method: 'POST', path: '/auth/logout' },
  { method: 'POST', path: '/auth/logout-all' },
  { method: 'GET', path: '/auth/me' },
  { method: 'PATCH', path: '/auth/me' },
  { method: 'DELETE', path: '/auth/me' },
  { method: 'POST', path: '/auth/change-password' },
  { method: 'GET', path: '/auth/sessions' },
  { method: 'DELETE', path: '/auth/sessions/{id}' },
  { method: 'GET', path: '/auth/events' },
  { method: 'GET', path: '/habits' },
  { method: 'POST', path: '/habits' },
  { method: 'PUT', path: '/habits/order' },
  { method: 'GET', path: '/habits/{id}' },
  { method: 'PATCH', path: '/habits/{id}' },
  { method: 'DELETE', path: '/habits/{id}' },
  { method: 'GET', path: '/habits/{id}/goal' },
  { method: 'PUT', path: '/habits/{id}/goal' },
  { method: 'DELETE', path: '/habits/{id}/goal' },
  { method: 'PUT', path: '/habits/{id}/tracking/{date}' },
  { method: 'GET', path: '/habits/{id}/tracking' },
  { method: 'GET', path: '/habits/{id}/tracking/{date}' },
  { method: 'DELETE', path: '/habits/{id}/tracking/{date}' },
  { method: 'GET', path: '/habits/{id}/stats' },
  { method: 'GET', path: '/today' },
  { method: 'GET', path: '/reminders' },
  { method: 'GET', path: '/export' },
  { method: 'POST', path: '/import' },
  { method: 'GET', path: '/sync' },
  { method: 'POST', path: '/sync' },
  { method: 'POST', path: '/auth/password/forgot' },
  { method: 'POST', path: '/auth/password/reset' },
  { method: 'POST', path: '/auth/email/verify' },
  { method: 'POST', path: '/auth/email/verify/resend' },
  { method: 'POST', path: '/auth/email/change' },
  { method: 'POST', path: '/auth/mfa/totp' },
  { method: 'POST', path: '/auth/mfa/totp/activate' },
  { method: 'DELETE', path: '/auth/mfa/totp' },
  { method: 'POST', path: '/auth/mfa/recovery-codes' },
  { method: 'POST', path: '/auth/mfa/verify' },
  { method: 'GET', path: '/.well-known/jwks.json' },
];

/**
 * Routes through which B's own fuzzed requests may end B's session (B then logs in again). Every
 * other route must leave B's session alive: checked after each route's run. POST /auth/password/reset
 * revokes every session of the user, but only with a live reset token or code, which B never has
 * (random 43-character tokens; at most 10 wrong codes per address a day): it is not here.
 */
const SESSION_ENDING = new Set([
  'POST /auth/refresh',
  'POST /auth/logout',
  'POST /auth/logout-all',
  'POST /auth/change-password',
  'DELETE /auth/me',
  'DELETE /auth/sessions/{id}',
]);

/**
 * What an operation asks of the caller, from its OpenAPI `security`: nothing; an access token; or,
 * with an empty requirement beside the bearer one (`[{}, { bearerAuth: [] }]`), a token that is
 * optional, but checked when sent (a bad one is a 401).
 */
type Authentication = 'public' | 'required' | 'optional';

function authenticationOf(op: OpenAPIV3.OperationObject): Authentication {
  const security = op.security ?? [];
  if (security.length === 0) return 'public';
  return security.some((requirement) => Object.keys(requirement).length === 0) ? 'optional' : 'required';
}

/** The routes that fall back to the `refresh_token` cookie when the body has no refresh token. */
const COOKIE_ROUTES = new Set(['POST /auth/refresh', 'POST /auth/logout']);
/** The routes that issue a refresh token: in the JSON, or with `useCookie: true` in the cookie. */
const TOKEN_ISSUING = new Set(['POST /auth/signup', 'POST /auth/login', 'POST /auth/mfa/verify', 'POST /auth/refresh']);
/**
 * Routes whose body is optional (a bare POST is a whole request), which the OpenAPI document cannot
 * say (@fastify/swagger marks every requestBody required): they get no body more often, and a
 * request without one is never a 400 or 415.
 */
const OPTIONAL_BODY = new Set(['POST /auth/refresh', 'POST /auth/logout']);
/** The one origin in CORS_ORIGINS: the only one whose requests may use the cookie. */
const APP_ORIGIN = 'https://app.example.com';

/** Statuses any request may get before it reaches a route (body limit, URL limits, content type, rate limit). */
const TRANSPORT_STATUSES = new Set([413, 414, 415, 429]);

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 120);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const MAX_PAYLOAD_BYTES = 1024 * 1024 - 1024;
const DAY = '2026-01-05';
const RANGE = 'from=2026-01-01&to=2026-01-31';
const AS_OF = 'asOf=2026-01-10';
const { accessKeys, refreshKeys, issuer, audience } = testConfig('postgresql://unused').jwt;
const [accessSecret, refreshSecret] = [accessKeys.signingKey, refreshKeys.signingKey];
/** Object.prototype as it was before any request. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

// ---------------------------------------------------------------------------------------------------
// JSON text with what JSON.stringify cannot write: raw number text, `__proto__` keys, duplicate keys.

/** Text inserted verbatim into the JSON (e.g. `1e400`, `-0`, a 5000-digit number). */
class Raw {
  constructor(readonly text: string) {}
}
/** An object as an ordered list of entries: keys may repeat or be `__proto__`. */
class Entries {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

/** JSON.stringify, typed as what it is: undefined for undefined, functions and symbols. */
const stringify = (value: unknown): string | undefined => JSON.stringify(value);

function toJsonText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Entries) return `{${value.entries.map(([name, item]) => `${JSON.stringify(name)}:${toJsonText(item)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map((item) => toJsonText(item)).join(',')}]`;
  if (typeof value === 'object' && value !== null) return toJsonText(new Entries(Object.entries(value)));
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  // undefined, functions, symbols, bigints: not JSON; null stands in for them.
  if (typeof value === 'bigint') return value.toString();
  return stringify(value) ?? 'null';
}

// ---------------------------------------------------------------------------------------------------
// The actors. A is the victim; B the attacker whose token the fuzzed requests carry.

interface Actors {
  a: SignedUpUser;
  aHabitId: string;
  aSessionId: string;
  b: SignedUpUser;
  bHabitId: string;
  /** A second session of B, which DELETE /auth/sessions/:id may legitimately revoke. */
  bSpareSessionId: string;
  /** GET /sync cursors of A's and B's, taken after their habits were made (`since` values). */
  aCursor: string;
  bCursor: string;
}

/** Symbolic choices, resolved when the request is sent (B's token and habit change as B acts). */
type IdChoice = { kind: 'aHabit' | 'bHabit' | 'aSession' | 'bSpareSession'; spelling: IdSpelling } | { kind: 'literal'; text: string };
/** How a real id is written: as issued, upper-case, or `urn:uuid:…` (which the `uuid` format accepts). */
type IdSpelling = 'plain' | 'upper' | 'urn';
type TokenChoice =
  | { kind: 'b'; scheme: string }
  | { kind: 'none' }
  | { kind: 'header'; value: string; forgedWith?: { userId: unknown; sid: unknown } }
  | { kind: 'bTampered' }
  | { kind: 'aRefreshAsAccess' };

interface FuzzRequest {
  token: TokenChoice;
  params: Record<string, IdChoice>;
  query: string;
  /** undefined: no body at all. */
  body?: { payload: string | Buffer; contentType: string | undefined };
  userAgent?: string;
  /** The Cookie header, and the two headers a request that uses the cookie needs. */
  cookieMode: CookieMode;
}

interface CookieMode {
  cookie?: string;
  origin?: string;
  requestedWith?: string;
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries.

/** encodeURIComponent, after replacing lone surrogates (which it cannot encode) with U+FFFD. */
const encode = (text: string) =>
  encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

const printableAscii = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength });

const oddStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uFEFFname',
  'e\u0301',
  '\u202Eevil',
  'İıßﬃ',
  '🏳️‍🌈👨‍👩‍👧‍👦',
  '\r\n\t\v\f',
  '%00',
  '%',
  '\'; DROP TABLE "User"; --',
  '${7*7}{{7*7}}',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'NaN',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
);

/** Characters that are valid in a JSON string but awkward for storage and comparison. */
const hostileCharacters = fc.constantFrom(
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\u0301',
  '\u202E',
  '\uFEFF',
  '\u200B',
  '\uFFFF',
  '🏳️‍🌈',
  '\r\n',
  '\'"\\',
);

/** About 100 KB each in UTF-8, so a body with a handful of them stays under 1 MiB. */
const hugeStrings = fc.constantFrom(
  'a'.repeat(100_000),
  '😀'.repeat(25_000),
  'é'.repeat(50_000),
  '\u0000'.repeat(15_000),
  ' '.repeat(100_000),
  '\uD800'.repeat(15_000),
);

const weirdNumbers = fc.constantFrom(
  new Raw('1e308'),
  new Raw('-0'),
  new Raw('-0.0'),
  new Raw('1e400'),
  new Raw('-1e400'),
  new Raw('1e-400'),
  new Raw('9'.repeat(5000)),
  new Raw(`-${'9'.repeat(5000)}`),
  new Raw(`0.${'0'.repeat(5000)}1`),
  new Raw('1E2'),
  new Raw('1.0'),
  new Raw('2147483648'),
  new Raw('-2147483649'),
  new Raw('9007199254740993'),
  new Raw('1.7976931348623157e308'),
  new Raw('5e-324'),
  0.5,
  -1,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
);

const pollutionObjects = fc.constantFrom(
  new Entries([['__proto__', new Entries([['polluted', 'yes']])]]),
  new Entries([['constructor', new Entries([['prototype', new Entries([['polluted', 'yes']])]])]]),
  new Entries([['prototype', new Entries([['polluted', 'yes']])]]),
  new Entries([['__proto__', null]]),
  [new Entries([['__proto__', new Entries([['polluted', 'yes']])]])],
);

/** Any value but a huge one: for token claims (a header stays far below Node's 16 KiB limit). */
const smallFuzzValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
  { weight: 2, arbitrary: weirdNumbers.filter((value) => !(value instanceof Raw) || value.text.length < 100) },
  { weight: 2, arbitrary: oddStrings },
  { weight: 1, arbitrary: fc.constantFrom(null, true, 0, [], {}) },
);

/** Any value at all, for a field or a whole body. */
const fuzzValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: weirdNumbers },
  { weight: 2, arbitrary: oddStrings },
  { weight: 1, arbitrary: hugeStrings },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: pollutionObjects },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, [], {}, [null], { a: 1 }) },
  {
    weight: 1,
    // fc.anything(), kept to what JSON can carry: JSON.stringify decides what survives.
    arbitrary: fc.anything({ maxDepth: 2, maxKeys: 4 }).map((value) => {
      try {
        return new Raw(stringify(value) ?? 'null');
      } catch {
        return null;
      }
    }),
  },
);

const malformedJson = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '{"a":}',
    "{'name':'x'}",
    '{"name":"x",}',
    '{"name":"x"}garbage',
    '{"name":"x"}{"name":"y"}',
    '[1,2',
    'NaN',
    'Infinity',
    '-Infinity',
    'undefined',
    '\uFEFF{"name":"x"}',
    '// comment\n{}',
    '{"name":"\\x41"}',
    '{"name":"\\ud800"}',
    '{"name":"\\u0000"}',
    '"\\u0000"',
    'null',
    'true',
    '0',
    '"string"',
    '[]',
    '{}',
    '\u0000',
    '{"name":"x"',
    '{"__proto__":',
    `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
    '['.repeat(100_000),
  ),
  // A valid document cut short.
  fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.nat()).map(([value, at]) => {
    const text = JSON.stringify(value);
    return text.slice(0, text.length > 1 ? at % (text.length - 1) : 0);
  }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

const contentTypes = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 6,
    arbitrary: fc.constantFrom<string | undefined>(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json;',
      'application/json; boundary=x',
      'text/plain',
      'text/plain; charset=utf-8',
      undefined,
      'multipart/form-data; boundary=----fuzz',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
      '*/*',
      'application/jsonx',
      'application/vnd.api+json',
      'application/*',
      ';;;',
      '',
    ),
  },
  { weight: 1, arbitrary: printableAscii(40) },
);

/** A real multipart/form-data or x-www-form-urlencoded body carrying the given fields. */
function otherMediaBodies(names: string[]): fc.Arbitrary<{ payload: string; contentType: string }> {
  const fields = [...names, '__proto__[polluted]', 'constructor[prototype][polluted]'];
  const boundary = '----fuzz-boundary';
  return fc.constantFrom(
    {
      payload: `${fields.map((name) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nyes\r\n`).join('')}--${boundary}--\r\n`,
      contentType: `multipart/form-data; boundary=${boundary}`,
    },
    { payload: fields.map((name) => `${encodeURIComponent(name)}=yes`).join('&'), contentType: 'application/x-www-form-urlencoded' },
  );
}

function bodyArbitrary(
  schema: OpenAPIV3.SchemaObject | undefined,
  actors: () => Actors,
  hasBody: boolean | 'optional',
  options: ValueOptions,
): fc.Arbitrary<FuzzRequest['body']> {
  const properties = Object.entries((schema?.properties ?? {}) as Record<string, OpenAPIV3.SchemaObject>);
  const required = new Set(schema?.required ?? []);

  // Keys a client must never get to set (A's ids), and pollution attempts, alongside the right ones.
  const extraEntries = (): [string, unknown][] => [
    ['userId', actors().a.user.id],
    ['id', actors().aHabitId],
    ['habitId', actors().aHabitId],
    ['createdAt', '1970-01-01T00:00:00.000Z'],
    ['__proto__', new Entries([['polluted', 'yes']])],
    ['constructor', new Entries([['prototype', new Entries([['polluted', 'yes']])]])],
  ];
  const extras = fc
    .oneof({ weight: 3, arbitrary: fc.constant<number[]>([]) }, { weight: 1, arbitrary: fc.subarray([0, 1, 2, 3, 4, 5], { minLength: 1 }) })
    .map((indexes) => indexes.map((index) => extraEntries()[index]!));

  /** An object with the schema's keys; each value valid, or (with weight `fuzzWeight`) anything. */
  const rightKeys = (fuzzWeight: number) =>
    fc
      .tuple(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: properties.length, maxLength: properties.length }),
        fc.tuple(
          ...properties.map(([name, property]) =>
            fuzzWeight === 0
              ? validValue(name, property, actors, options)
              : fc.oneof(
                  { weight: 3, arbitrary: validValue(name, property, actors, options) },
                  { weight: fuzzWeight, arbitrary: fuzzValue },
                  { weight: 1, arbitrary: invalidNear(property) },
                ),
          ),
        ),
        extras,
        fc.nat(4).map((roll) => roll === 0),
      )
      .map(([rolls, values, extra, duplicate]) => {
        const entries: [string, unknown][] = [];
        properties.forEach(([name], index) => {
          // Required keys are usually there, optional ones often.
          if (rolls[index]! < (required.has(name) ? 0.9 : 0.6)) entries.push([name, values[index]]);
        });
        entries.push(...extra);
        // The same key twice: the last one wins in JSON.parse.
        if (duplicate && entries.length > 0) entries.push([entries[0]![0], 'duplicate']);
        return toJsonText(new Entries(entries));
      });

  const payload = fc.oneof(
    { weight: properties.length > 0 ? 6 : 1, arbitrary: rightKeys(0) },
    { weight: properties.length > 0 ? 6 : 1, arbitrary: rightKeys(2) },
    { weight: 2, arbitrary: fuzzValue.map((value) => toJsonText(value)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '{"__proto__":{"polluted":"yes"}}',
        '{"constructor":{"prototype":{"polluted":"yes"}}}',
        '{"name":"Polluter","__proto__":{"polluted":"yes"}}',
        '{"name":"Polluter","constructor":{"prototype":{"polluted":"yes"}}}',
        '{"prototype":{"polluted":"yes"}}',
        '[{"__proto__":{"polluted":"yes"}}]',
        '{"a":{"b":{"__proto__":{"polluted":"yes"}}}}',
        '{"__proto__":[]}',
        '{"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":"yes"}}',
      ),
    },
    { weight: 2, arbitrary: malformedJson },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  );

  const body = fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .record({ payload, contentType: contentTypes })
        .filter(({ payload: text }) => Buffer.byteLength(text) <= MAX_PAYLOAD_BYTES),
    },
    // Well-formed bodies of other media types, with the keys a JSON body would have.
    { weight: 1, arbitrary: otherMediaBodies(properties.map(([name]) => name)) },
  );
  // Routes that take a body mostly get one (an optional one often not); the others mostly none, but
  // sometimes one anyway.
  if (hasBody === 'optional') return fc.oneof({ weight: 3, arbitrary: body }, { weight: 1, arbitrary: fc.constant(undefined) });
  return hasBody
    ? fc.oneof({ weight: 12, arbitrary: body }, { weight: 1, arbitrary: fc.constant(undefined) })
    : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: body });
}

// ---------------------------------------------------------------------------------------------------
// POST /sync: a batch of changes, each addressed by ids and dates and carrying `data` for its route.

/** The request-body schema of an operation of the OpenAPI document. */
function requestSchemaOf(doc: OpenAPIV3.Document, path: string, method: Lowercase<Method>): OpenAPIV3.SchemaObject {
  const body = doc.paths[path]![method]!.requestBody as OpenAPIV3.RequestBodyObject;
  return body.content['application/json']!.schema as OpenAPIV3.SchemaObject;
}

/**
 * An object for `schema` as an ordered list of entries: each property valid (nested objects
 * likewise, to `depth`), just outside its schema, or anything; some left out; sometimes with keys a
 * client must not set (A's ids) or that aim at prototypes (`constructor`, `prototype`, and rarely
 * `__proto__`, which the JSON parser refuses for the whole body).
 */
function entriesFor(schema: OpenAPIV3.SchemaObject, actors: () => Actors, depth: number): fc.Arbitrary<Entries> {
  const properties = Object.entries((schema.properties ?? {}) as Record<string, OpenAPIV3.SchemaObject>);
  const options = { victimRefreshToken: false, attackerPassword: false };
  const valueFor = (name: string, property: OpenAPIV3.SchemaObject): fc.Arbitrary<unknown> =>
    property.type === 'object' && property.properties && depth > 0
      ? fc.oneof({ weight: 4, arbitrary: entriesFor(property, actors, depth - 1) }, { weight: 1, arbitrary: fuzzValue })
      : fc.oneof(
          { weight: 5, arbitrary: validValue(name, property, actors, options) },
          { weight: 1, arbitrary: invalidNear(property) },
          { weight: 1, arbitrary: fuzzValue },
        );
  const extra = fc.constantFrom<[string, () => unknown][]>(
    [],
    [],
    [],
    [['userId', () => actors().a.user.id]],
    [['id', () => actors().aHabitId]],
    [['habitId', () => actors().aHabitId]],
    [['constructor', () => new Entries([['name', 'x']])]],
    [['prototype', () => new Entries([['polluted', 'yes']])]],
    [['toString', () => 'x']],
    [['hasOwnProperty', () => 1]],
    [['__proto__', () => new Entries([['polluted', 'yes']])]],
  );
  return fc
    .tuple(
      fc.array(fc.boolean(), { minLength: properties.length, maxLength: properties.length }),
      fc.tuple(...properties.map(([name, property]) => valueFor(name, property))),
      extra,
    )
    .map(
      ([kept, values, extras]) =>
        new Entries([
          ...properties.flatMap(([name], index): [string, unknown][] => (kept[index] ? [[name, values[index]]] : [])),
          ...extras.map(([name, value]): [string, unknown] => [name, value()]),
        ]),
    );
}

/**
 * POST /sync bodies: `changes` of mostly the right shape, each with a type and an op (sometimes
 * unknown ones), ids (A's habit's, as issued, in capitals or as a `urn:uuid:`; B's; new ones;
 * garbage, NUL and huge strings, non-strings), dates, a baseVersion (small, stale, 0, 2^31, 1e400,
 * strings) and `data` for the change's route (its fields right, near misses, anything, nested junk,
 * prototype keys); sometimes far too many changes, or none; and now and then any body at all.
 */
function syncPushBodyArbitrary(doc: OpenAPIV3.Document, actors: () => Actors): fc.Arbitrary<FuzzRequest['body']> {
  const dataFor = {
    habit: fc.oneof(
      entriesFor(requestSchemaOf(doc, '/habits', 'post'), actors, 2),
      entriesFor(requestSchemaOf(doc, '/habits/{id}', 'patch'), actors, 2),
    ),
    goal: entriesFor(requestSchemaOf(doc, '/habits/{id}/goal', 'put'), actors, 1),
    checkin: entriesFor(requestSchemaOf(doc, '/habits/{id}/tracking/{date}', 'put'), actors, 1),
  };
  const hostileText = fc.oneof(
    oddStrings,
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.tuple(fc.string({ maxLength: 5 }), hostileCharacters, fc.string({ maxLength: 5 })).map((parts) => parts.join('')),
    fc.constantFrom('x'.repeat(100), 'x'.repeat(101), '\u0000'.repeat(20)),
  );
  const habitIds = fc.oneof(
    { weight: 5, arbitrary: fc.constant(null).map(() => actors().bHabitId) },
    { weight: 4, arbitrary: fc.constant(null).map(() => actors().aHabitId) },
    { weight: 1, arbitrary: fc.constant(null).map(() => actors().aHabitId.toUpperCase()) },
    { weight: 1, arbitrary: fc.constant(null).map(() => `urn:uuid:${actors().aHabitId}`) },
    { weight: 1, arbitrary: fc.constant(null).map(() => ` ${actors().aHabitId}`) },
    { weight: 3, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: hostileText },
    { weight: 1, arbitrary: hugeStrings },
    { weight: 1, arbitrary: fuzzValue },
  );
  const dates = fc.oneof({ weight: 6, arbitrary: dateStrings }, { weight: 2, arbitrary: hostileText }, { weight: 1, arbitrary: fuzzValue });
  const baseVersions = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(0, -1, 2 ** 31 - 1, 2 ** 31, 1.5, '1', null, true, [], {}) },
    { weight: 1, arbitrary: weirdNumbers },
  );
  const types = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom<unknown>('habit', 'goal', 'checkin') },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('Habit', 'note', 'user', 'checkins', '', null, 1, ['habit']) },
    { weight: 1, arbitrary: oddStrings },
  );
  const ops = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom<unknown>('upsert', 'delete') },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('UPSERT', 'patch', 'create', 'put', '', null, 0, ['delete']) },
    { weight: 1, arbitrary: oddStrings },
  );
  /** A key of the change, or (undefined) none. */
  const sometimes = <T>(arbitrary: fc.Arbitrary<T>, weight: number) =>
    fc.oneof({ weight, arbitrary }, { weight: 1, arbitrary: fc.constant(undefined) });
  const change = fc
    .record({ type: types, op: ops })
    .chain(({ type, op }) =>
      fc.record({
        type: fc.constant(type),
        op: fc.constant(op),
        id: sometimes(habitIds, type === 'habit' ? 8 : 1),
        habitId: sometimes(habitIds, type === 'habit' ? 1 : 8),
        date: sometimes(dates, type === 'checkin' ? 8 : 1),
        data: sometimes(
          fc.oneof(
            {
              weight: 6,
              arbitrary: typeof type === 'string' && Object.hasOwn(dataFor, type) ? dataFor[type as keyof typeof dataFor] : fuzzValue,
            },
            { weight: 1, arbitrary: fuzzValue },
            { weight: 1, arbitrary: pollutionObjects },
          ),
          op === 'delete' ? 1 : 6,
        ),
        baseVersion: sometimes(baseVersions, 1),
        extra: fc.constantFrom<[string, unknown][]>([], [], [], [['userId', null]], [['current', { name: 'x' }]], [['status', 'applied']]),
      }),
    )
    .map(({ extra, ...fields }) => {
      const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
      return new Entries([
        ...entries,
        ...extra.map(([name, value]): [string, unknown] => [name, name === 'userId' ? actors().a.user.id : value]),
      ]);
    });
  // Most batches pass the body's own schema, so that each change gets to its per-change checks.
  const passing = change.filter(passesBatchSchema);
  const changes = fc.oneof(
    { weight: 14, arbitrary: fc.array(passing, { minLength: 1, maxLength: 6 }) },
    { weight: 6, arbitrary: fc.array(change, { minLength: 1, maxLength: 6 }) },
    { weight: 1, arbitrary: fc.constant([]) },
    // Too many: refused as a whole, before any is applied.
    { weight: 1, arbitrary: change.map((one) => Array.from({ length: 501 }, () => one)) },
    { weight: 1, arbitrary: fc.array(fuzzValue, { maxLength: 4 }) },
  );
  const payload = fc.oneof(
    { weight: 12, arbitrary: changes.map((list) => toJsonText(new Entries([['changes', list]]))) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          changes,
          fc.constantFrom<[string, unknown][]>([['userId', 'x']], [['cursor', 'x']], [['changes', 'twice']], [['results', []]]),
        )
        .map(([list, extra]) => toJsonText(new Entries([['changes', list], ...extra]))),
    },
    { weight: 1, arbitrary: fuzzValue.map((value) => toJsonText(new Entries([['changes', value]]))) },
  );
  return fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .record({
          payload,
          contentType: fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentTypes }),
        })
        .filter(({ payload: text }) => Buffer.byteLength(text) <= MAX_PAYLOAD_BYTES),
    },
    // Anything at all, as for every route.
    {
      weight: 2,
      arbitrary: bodyArbitrary(requestSchemaOf(doc, '/sync', 'post'), actors, true, { victimRefreshToken: false, attackerPassword: false }),
    },
  );
}

/** Whether a value holds nothing PostgreSQL cannot store (the body validator's check, src/http/ajv.ts). */
function storable(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return !value.includes('\u0000') && value.isWellFormed();
  if (typeof value === 'object' && value !== null) return Object.values(value).every(storable);
  return true;
}

/**
 * Whether a change passes POST /sync's body schema (and the JSON parser), so that it is checked on
 * its own rather than refusing the whole batch: a known type and op, string addresses of at most 100
 * characters, a baseVersion from 1 to 2^31 - 1, no prototype keys, nothing PostgreSQL cannot store.
 */
function passesBatchSchema(change: Entries): boolean {
  const text = toJsonText(change);
  if (text.includes('"__proto__"') || (text.includes('"constructor"') && text.includes('"prototype"'))) return false;
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const address = (value: unknown) => value === undefined || (typeof value === 'string' && value.length <= 100);
  const { baseVersion } = parsed;
  return (
    ['habit', 'goal', 'checkin'].includes(parsed.type as string) &&
    ['upsert', 'delete'].includes(parsed.op as string) &&
    address(parsed.id) &&
    address(parsed.habitId) &&
    address(parsed.date) &&
    (baseVersion === undefined || (Number.isInteger(baseVersion) && (baseVersion as number) >= 1 && (baseVersion as number) < 2 ** 31)) &&
    storable(parsed)
  );
}

/** An id as PostgreSQL reads a uuid: case does not matter. */
const sameUuid = (value: unknown, id: string) => typeof value === 'string' && value.toLowerCase() === id.toLowerCase();

const TIMEZONES = [
  'UTC',
  'Europe/Berlin',
  'America/Los_Angeles',
  'Pacific/Kiritimati',
  'Etc/GMT+12',
  'Asia/Kathmandu',
  'Not/AZone',
  'utc',
  'GMT',
];

/** A value a field's schema might accept (the fuzzing needs some requests to get through). */
interface ValueOptions {
  /** Offer A's refresh token as a value (only where using it must not affect A: POST /auth/logout). */
  victimRefreshToken: boolean;
  /**
   * Offer B's real password as `password` (only where it cannot end B's account or session:
   * POST /auth/email/change, which then gets through to its 202 and 409 answers; POST and DELETE
   * /auth/mfa/totp, which then get through to the address check (403, B's is unverified) and the
   * code check (401, B has no factor)).
   */
  attackerPassword: boolean;
}

function validValue(name: string, schema: OpenAPIV3.SchemaObject, actors: () => Actors, options: ValueOptions): fc.Arbitrary<unknown> {
  if (schema.anyOf) {
    return fc.oneof(...(schema.anyOf as OpenAPIV3.SchemaObject[]).map((option) => validValue(name, option, actors, options)));
  }
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  let base: fc.Arbitrary<unknown>;
  if (schema.type === 'string') {
    if (name === 'token') base = emailTokenValues(actors);
    // What a login with two-factor on answers (32 random bytes, base64url), or any other token.
    else if (name === 'mfaToken') base = fc.oneof(emailTokenValues(actors), refreshTokenValues(actors, false));
    else if (/token/i.test(name)) base = refreshTokenValues(actors, options.victimRefreshToken);
    else if (name === 'password' && options.attackerPassword)
      base = fc.oneof(
        fc.constant(null).map(() => actors().b.password),
        fc.string({ minLength: 1, maxLength: 40 }),
      );
    else if (schema.format === 'uuid') base = fc.uuid();
    else if (schema.format === 'date') base = dateStrings;
    else if (schema.format === 'email')
      base = fc.oneof(fc.emailAddress(), fc.constant(actors().b.email), fc.constant(actors().a.email.toUpperCase()));
    else if (schema.format === 'iana-timezone') base = fc.constantFrom(...TIMEZONES);
    // An anchored pattern (a colour, an email's 6-digit code): strings that match it.
    else if (schema.pattern?.startsWith('^') && schema.pattern.endsWith('$')) base = fc.stringMatching(new RegExp(schema.pattern));
    else {
      const { minLength, maxLength } = lengthsOf(schema);
      base = fc.oneof(
        fc.string({ minLength, maxLength }),
        fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, Math.min(maxLength, 15)) }),
        fc.constant('x'.repeat(maxLength)),
        // Within the schema's length, but hard to store: NUL, lone surrogates, combining marks…
        fc
          .tuple(fc.string({ maxLength: 3 }), hostileCharacters, fc.string({ maxLength: 3 }))
          .map(([before, odd, after]) => `x${before}${odd}${after}`.slice(0, Math.max(maxLength, minLength))),
      );
    }
  } else if (schema.type === 'integer') {
    const { min, max } = boundsOf(schema);
    base = fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
  } else if (schema.type === 'number') {
    base = fc.double();
  } else if (schema.type === 'boolean') {
    base = fc.boolean();
  } else {
    base = fuzzValue;
  }
  return schema.nullable ? fc.oneof(base, fc.constant(null)) : base;
}

function lengthsOf(schema: OpenAPIV3.SchemaObject): { minLength: number; maxLength: number } {
  const maxBytes = (schema as { maxBytes?: number }).maxBytes;
  const maxLength = Math.min(schema.maxLength ?? 120, maxBytes ?? 1000, 1000);
  return { minLength: Math.min(schema.minLength ?? 0, maxLength), maxLength };
}

function boundsOf(schema: OpenAPIV3.SchemaObject): { min: number; max: number } {
  return { min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 };
}

/** Values just outside a field's schema: one character too long, one past a bound, the wrong case. */
function invalidNear(schema: OpenAPIV3.SchemaObject): fc.Arbitrary<unknown> {
  const options = (schema.anyOf as OpenAPIV3.SchemaObject[] | undefined) ?? [schema];
  const values: unknown[] = [];
  for (const option of options) {
    if (option.type === 'string') {
      const { minLength, maxLength } = lengthsOf(option);
      values.push('x'.repeat(maxLength + 1), 'é'.repeat(maxLength), ' '.repeat(Math.max(minLength, 1)), 1);
      if (minLength > 0) values.push('x'.repeat(minLength - 1));
      if (option.enum) values.push(...(option.enum as string[]).map((value) => `${value.toUpperCase()} `));
    } else if (option.type === 'integer') {
      const { min, max } = boundsOf(option);
      values.push(min - 1, max + 1, min + 0.5, String(min));
    } else if (option.type === 'boolean') {
      values.push('true', 1, 0);
    }
  }
  return values.length > 0 ? fc.constantFrom(...values) : fuzzValue;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function forgeJwt(header: unknown, payload: unknown, secret: string): string {
  const signingInput = `${base64url(toJsonText(header))}.${base64url(toJsonText(payload))}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** JWT claims drawn from real and fake values, so some combinations come close to real tokens. */
function claimsArbitrary(actors: () => Actors, refresh: boolean) {
  const ids = (own: () => string) =>
    fc.oneof(
      fc.constant(null).map(() => own()),
      fc.uuid(),
      smallFuzzValue,
    );
  return fc.record(
    {
      userId: fc.oneof(
        fc.constant(null).map(() => actors().a.user.id),
        fc.constant(null).map(() => actors().b.user.id),
        fc.uuid(),
        smallFuzzValue,
      ),
      // Never A's session: forging A's exact claims with the real secret would simply be A.
      sid: ids(() => sessionIdOf(actors().b.accessToken)),
      email: fc.oneof(
        fc.constant(null).map(() => actors().b.email),
        smallFuzzValue,
      ),
      ...(refresh && { jti: fc.oneof(fc.uuid(), smallFuzzValue) }),
      iat: fc.oneof(
        fc.constant(null).map(() => nowSeconds()),
        smallFuzzValue,
      ),
      exp: fc.oneof(
        fc.constant(null).map(() => nowSeconds() + 900),
        fc.constant(null).map(() => nowSeconds() - 60),
        smallFuzzValue,
      ),
      nbf: smallFuzzValue,
      // Mostly right, so that forgeries get past the verifier to the session check.
      ...(!refresh && { iss: fc.oneof(fc.constant(issuer), smallFuzzValue), aud: fc.oneof(fc.constant(audience), smallFuzzValue) }),
    },
    { requiredKeys: ['userId', 'sid', 'email', 'iat', 'exp'] },
  );
}

function sessionIdOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string };
  return payload.sid;
}

function refreshTokenValues(actors: () => Actors, victimRefreshToken: boolean): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(null).map(() => (victimRefreshToken ? actors().a.refreshToken : actors().b.refreshToken)),
    fc.constant(null).map(() => actors().b.refreshToken),
    fc.constant(null).map(() => actors().b.accessToken),
    fc.constant(null).map(() => actors().a.accessToken),
    claimsArbitrary(actors, true).map((claims) => forgeJwt({ alg: 'HS256', typ: 'JWT' }, claims, refreshSecret)),
    claimsArbitrary(actors, true).map((claims) => forgeJwt({ alg: 'none', typ: 'JWT' }, claims, refreshSecret)),
    printableAscii(60),
    fc.constant('a.b.c'),
    fc.constant(`${'a'.repeat(4000)}.b.c`),
  );
}

/**
 * The `token` of an email's link: 32 random bytes in base64url (43 characters), of other lengths, and
 * base64url text made with the real secrets (the signatures of B's access and A's refresh token).
 */
function emailTokenValues(actors: () => Actors): fc.Arbitrary<unknown> {
  const signature = (token: string) => token.split('.')[2]!;
  return fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,256}$/) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constant(null).map(() => signature(actors().b.accessToken)),
        fc.constant(null).map(() => signature(actors().a.refreshToken)),
        fc.constantFrom('A'.repeat(43), '-'.repeat(43), '_'.repeat(256)),
      ),
    },
  );
}

/**
 * A Cookie header: `refresh_token` with a real, forged or garbage token (A's refresh token only where
 * using it must not affect A), among other cookies, many times over, huge, malformed, or non-ASCII
 * (which a real HTTP parser would refuse as bytes, but which the cookie parser must survive).
 */
function cookieArbitrary(actors: () => Actors, victimRefreshToken: boolean): fc.Arbitrary<string> {
  const token = refreshTokenValues(actors, victimRefreshToken).map((value) => (typeof value === 'string' ? value : toJsonText(value)));
  const cookieName = fc.oneof(
    { weight: 4, arbitrary: fc.constant('refresh_token') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('REFRESH_TOKEN', 'refresh_token ', ' refresh_token', 'refresh-token', '__proto__', 'constructor'),
    },
  );
  return fc.oneof(
    // B's refresh token as it is now, so that some refreshes and logouts by the cookie get through.
    { weight: 3, arbitrary: fc.constant(null).map(() => `refresh_token=${actors().b.refreshToken}`) },
    { weight: 6, arbitrary: token.map((value) => `refresh_token=${value}`) },
    // Among other cookies, under odd names, quoted, percent-encoded.
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          cookieName,
          token,
          fc.constantFrom('', 'theme=dark; ', '__proto__=x; ', 'a=b;c=d; '),
          fc.constantFrom('', '; x=1', ';', '; refresh_token='),
        )
        .map(([name, value, before, after]) => `${before}${name}=${value}${after}`),
    },
    { weight: 1, arbitrary: token.map((value) => `refresh_token="${value}"`) },
    { weight: 1, arbitrary: token.map((value) => `refresh_token=${encodeURIComponent(value)}`) },
    // Many refresh_token cookies: the parser keeps one (the first), whichever that is.
    {
      weight: 2,
      arbitrary: fc
        .array(token, { minLength: 2, maxLength: 6 })
        .map((values) => values.map((value) => `refresh_token=${value}`).join('; ')),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        Array.from({ length: 2_000 }, (_, index) => `refresh_token=${index}`).join('; '),
        Array.from({ length: 2_000 }, (_, index) => `c${index}=${index}`).join('; '),
      ),
    },
    // Huge.
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        `refresh_token=${'a'.repeat(100_000)}`,
        `refresh_token=${'a'.repeat(50_000)}.${'b'.repeat(50_000)}.c`,
        `refresh_token=${'%41'.repeat(30_000)}`,
        `refresh_token=${'😀'.repeat(20_000)}`,
        `x=${'y'.repeat(100_000)}; refresh_token=a.b.c`,
      ),
    },
    // Malformed.
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        '=',
        ';',
        ';;;',
        '=;=;=',
        'refresh_token',
        'refresh_token=',
        'refresh_token=;',
        'refresh_token==',
        'refresh_token=a=b=c',
        'refresh_token=%',
        'refresh_token=%zz',
        'refresh_token=%E0%A4%A',
        'refresh_token=%ED%A0%80',
        'refresh_token=%00',
        'refresh_token="',
        'refresh_token="unterminated',
        'refresh_token=""',
        'refresh_token=a.b.c; Path=/auth; HttpOnly',
        '__proto__=x; refresh_token=__proto__',
        'refresh_token=constructor',
        'refresh_token=toString',
      ),
    },
    // Non-ASCII and control characters.
    {
      weight: 2,
      arbitrary: fc
        .oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), oddStrings)
        .map((text) => `refresh_token=${text}`),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
    { weight: 1, arbitrary: printableAscii(200) },
  );
}

/** The Origin and X-Requested-With of a request: mostly right or missing, sometimes nearly right, or garbage. */
const originValues = fc.oneof(
  { weight: 4, arbitrary: fc.constant(APP_ORIGIN) },
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'https://evil.example.net',
      'null',
      '',
      `${APP_ORIGIN}/`,
      APP_ORIGIN.toUpperCase(),
      APP_ORIGIN.replace('https:', 'http:'),
      `${APP_ORIGIN}:443`,
      `https://evil.${APP_ORIGIN.slice('https://'.length)}`,
      `${APP_ORIGIN}.evil.net`,
      `${APP_ORIGIN}, ${APP_ORIGIN}`,
      `${APP_ORIGIN}\u0000`,
    ),
  },
  { weight: 1, arbitrary: fc.oneof(printableAscii(60), fc.string({ unit: 'binary', maxLength: 40 })) },
);
const requestedWithValues = fc.oneof(
  { weight: 4, arbitrary: fc.constant('fetch') },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constantFrom('Fetch', 'FETCH', 'XMLHttpRequest', 'fetch ', ' fetch', '', 'fetch, fetch', 'fetch\u0000') },
  { weight: 1, arbitrary: fc.oneof(printableAscii(40), fc.string({ unit: 'binary', maxLength: 40 })) },
);

/**
 * The cookie and the cookie-mode headers of a request to `routeKey`: the cookie routes mostly get a
 * cookie, the others (which parse cookies all the same) sometimes; the headers are often exactly the
 * app's (so that requests by the cookie get through), else each fuzzed on its own.
 */
function cookieModeArbitrary(actors: () => Actors, routeKey: string): fc.Arbitrary<CookieMode> {
  const cookieRoute = COOKIE_ROUTES.has(routeKey);
  const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
    fc.oneof({ weight: cookieRoute ? 3 : 1, arbitrary }, { weight: cookieRoute ? 1 : 4, arbitrary: fc.constant(undefined) });
  const headers = fc.oneof(
    { weight: 1, arbitrary: fc.constant<CookieMode>({ origin: APP_ORIGIN, requestedWith: 'fetch' }) },
    { weight: 1, arbitrary: fc.record<CookieMode>({ origin: originValues, requestedWith: requestedWithValues }) },
  );
  return fc
    .record({ cookie: sometimes(cookieArbitrary(actors, routeKey === 'POST /auth/logout')), headers: sometimes(headers) })
    .map(({ cookie, headers: chosen }) => ({ cookie, ...chosen }));
}

function tokenArbitrary(actors: () => Actors): fc.Arbitrary<TokenChoice> {
  const header = (value: fc.Arbitrary<string>) => value.map((text): TokenChoice => ({ kind: 'header', value: text }));
  return fc.oneof(
    { weight: 14, arbitrary: fc.constant<TokenChoice>({ kind: 'b', scheme: 'Bearer' }) },
    { weight: 1, arbitrary: fc.constantFrom<TokenChoice>({ kind: 'b', scheme: 'bearer' }, { kind: 'b', scheme: 'BEARER  ' }) },
    { weight: 2, arbitrary: fc.constant<TokenChoice>({ kind: 'none' }) },
    { weight: 1, arbitrary: fc.constant<TokenChoice>({ kind: 'bTampered' }) },
    { weight: 1, arbitrary: fc.constant<TokenChoice>({ kind: 'aRefreshAsAccess' }) },
    {
      weight: 2,
      arbitrary: header(
        fc.oneof(
          printableAscii(80),
          printableAscii(80).map((text) => `Bearer ${text}`),
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'Basic dXNlcjpwYXNz',
            'Bearer a.b.c',
            'Bearer ..',
            `Bearer ${'a'.repeat(10_000)}.b.c`,
            'Token x.y.z',
          ),
        ),
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          claimsArbitrary(actors, false),
          fc.constantFrom({ alg: 'HS256', typ: 'JWT' }, { alg: 'none' }, { alg: 'HS512' }, { alg: 'HS256', crit: ['x'] }),
        )
        .map(([claims, jwtHeader]): TokenChoice => {
          const secret = jwtHeader.alg === 'HS256' ? accessSecret : refreshSecret;
          return {
            kind: 'header',
            value: `Bearer ${forgeJwt(jwtHeader, claims, secret)}`,
            forgedWith: { userId: claims.userId, sid: claims.sid },
          };
        }),
    },
  );
}

const dateStrings = fc.oneof(
  fc
    .date({ min: new Date('1995-01-01T00:00:00Z'), max: new Date('2031-12-31T00:00:00Z'), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10)),
  fc.constantFrom(
    DAY,
    '1899-12-31',
    '1900-01-01',
    '1999-12-31',
    '2000-01-01',
    '2999-12-31',
    '3000-01-01',
    '0000-01-01',
    '9999-12-31',
    '2024-02-29',
    '2025-02-29',
    '2025-02-30',
    '2026-13-01',
    '2026-00-10',
    '2026-1-5',
    '20260105',
    '2026-01-05T00:00:00Z',
    '+002026-01-05',
    '-002026-01-05',
    '2026-01-05 ',
    'today',
    'yesterday',
  ),
  fc.constant(null).map(() => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)),
  fc.constant(null).map(() => new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)),
);

/** Path segment text: encoded, or raw (malformed percent-encoding included). */
const garbageSegments = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }).map(encode),
  oddStrings.map(encode),
  fc.constantFrom(
    '0',
    '-1',
    '1e400',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
    '3f2b8c1e6a4d4e0f9b7a1c2d3e4f5a6b',
    '%7B3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b%7D',
    'urn:uuid:3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6b',
    '3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6bx',
    '3f2b8c1e-6a4d-4e0f-9b7a-1c2d3e4f5a6',
    '%00',
    '..',
    '%2e%2e',
    '%2F',
    '%',
    '%zz',
    '%C0%AF',
    '%ED%A0%80',
    '%F0%9F%98%80',
    '%FF',
    'x'.repeat(99),
    'x'.repeat(101),
    'x'.repeat(5000),
    "'%20OR%201=1--",
  ),
);

function idArbitrary(param: string): fc.Arbitrary<IdChoice> {
  const literal = (value: fc.Arbitrary<string>) => value.map((text): IdChoice => ({ kind: 'literal', text }));
  if (param === 'date') return literal(fc.oneof({ weight: 4, arbitrary: dateStrings }, { weight: 1, arbitrary: garbageSegments }));
  const spelling = fc.oneof(
    { weight: 8, arbitrary: fc.constant<IdSpelling>('plain') },
    { weight: 1, arbitrary: fc.constant<IdSpelling>('upper') },
    { weight: 1, arbitrary: fc.constant<IdSpelling>('urn') },
  );
  const real = (kind: 'aHabit' | 'bHabit' | 'aSession' | 'bSpareSession') =>
    spelling.map((chosen): IdChoice => ({ kind, spelling: chosen }));
  return fc.oneof(
    { weight: 3, arbitrary: real('aHabit') },
    { weight: 5, arbitrary: real('bHabit') },
    { weight: 1, arbitrary: fc.oneof(real('aSession'), real('bSpareSession')) },
    { weight: 2, arbitrary: literal(fc.uuid()) },
    { weight: 3, arbitrary: literal(garbageSegments) },
  );
}

/** A cursor in the shape GET /sync hands out (base64url of `v1:<change number>`), around any content. */
const cursorText = (content: string) => base64url(content);

/**
 * `since` of GET /sync: real cursors (B's, A's: a number in A's feed only), cursors made by hand with
 * numbers B's feed does not have or cannot hold, the right prefix around garbage, base64url junk and
 * near misses of real cursors (padding, standard base64, a character changed, added or cut).
 */
function cursorValues(actors: () => Actors): fc.Arbitrary<string> {
  const real = fc.oneof(
    fc.constant(null).map(() => actors().bCursor),
    fc.constant(null).map(() => actors().aCursor),
  );
  return fc.oneof(
    { weight: 3, arbitrary: real },
    { weight: 1, arbitrary: fc.constant(cursorText('v1:0')) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
          fc.constantFrom(
            '-1',
            '-0',
            '00',
            '01',
            '1.5',
            '1e3',
            '0x10',
            ' 1',
            '1 ',
            '1\n',
            '+1',
            '１',
            '2147483647',
            '2147483648',
            '4294967296',
            '9007199254740991',
            '9007199254740992',
            '9223372036854775807',
            '9223372036854775808',
            '9'.repeat(40),
            '',
            'NaN',
            'Infinity',
          ),
        )
        .map((number) => cursorText(`v1:${number}`)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('v1:', 'v2:', 'V1:', 'v1', 'v1::', 'v0:', ''), fc.oneof(fc.string({ maxLength: 20 }), oddStrings))
        .map(([prefix, rest]) => cursorText(`${prefix}${rest}`)),
    },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9+/_=-]{65,80}$/) },
    {
      weight: 2,
      arbitrary: fc.tuple(real, fc.nat(), fc.constantFrom('pad', 'standard', 'change', 'add', 'cut', 'upper')).map(([cursor, at, how]) => {
        const decoded = Buffer.from(cursor, 'base64url');
        const index = at % cursor.length;
        switch (how) {
          case 'pad':
            return `${cursor}${'='.repeat(1 + (at % 2))}`;
          case 'standard':
            return decoded.toString('base64');
          case 'change':
            return `${cursor.slice(0, index)}${cursor[index] === 'A' ? 'B' : 'A'}${cursor.slice(index + 1)}`;
          case 'add':
            return `${cursor}${'A_-'[at % 3]!}`;
          case 'cut':
            return cursor.slice(0, -1 - (at % 3));
          default:
            return cursor.toUpperCase();
        }
      }),
    },
  );
}

const queryValues = (parameter: OpenAPIV3.ParameterObject | undefined, actors: () => Actors) =>
  fc.oneof(
    { weight: parameter?.name === 'since' ? 6 : 0, arbitrary: cursorValues(actors) },
    // Just outside the parameter's schema: one past a bound, one character too long.
    {
      weight: 1,
      arbitrary: parameter ? invalidNear(parameter.schema as OpenAPIV3.SchemaObject).map((value) => String(value)) : fc.constant(''),
    },
    {
      weight: 3,
      arbitrary: parameter
        ? validValue(parameter.name, parameter.schema as OpenAPIV3.SchemaObject, actors, {
            victimRefreshToken: false,
            attackerPassword: false,
          }).map((value) => String(value))
        : fc.constant('1'),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '',
        '1e400',
        '-0',
        '1e308',
        '9'.repeat(5000),
        '0x10',
        ' 5',
        '5 ',
        '1.5',
        'NaN',
        'Infinity',
        '-1',
        'true',
        '[]',
        '{}',
        'null',
        '2147483648',
      ),
    },
    { weight: 2, arbitrary: dateStrings },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
    { weight: 1, arbitrary: oddStrings },
  );

function queryArbitrary(parameters: OpenAPIV3.ParameterObject[], actors: () => Actors): fc.Arbitrary<string> {
  const names = parameters.map((parameter) => parameter.name);
  const pair = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(names.length > 0 ? fc.constantFrom(...names) : fc.constant('q'), fc.constant(null)) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom('__proto__', 'constructor', '__proto__[polluted]', 'constructor[prototype][polluted]', 'a[b]', 'userId', ''),
        fc.constant(null),
      ),
    },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.constant(null)) },
  );
  const encoded = fc
    .array(pair, { maxLength: 5 })
    .chain((pairs) =>
      fc.tuple(
        ...pairs.map(([name]) =>
          fc.tuple(
            fc.constant(name),
            queryValues(
              parameters.find((parameter) => parameter.name === name),
              actors,
            ),
          ),
        ),
      ),
    )
    .map((pairs) => pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&'));
  return fc.oneof(
    { weight: 8, arbitrary: encoded },
    // Raw text: repeated keys, bare keys, malformed percent-encoding.
    {
      weight: 2,
      arbitrary: fc.oneof(
        printableAscii(40).map((text) => text.replace(/[#\s]/g, '')),
        fc.constantFrom(
          '&&&',
          '=',
          '==&=',
          '%',
          '%zz=%zz',
          'limit=1&limit=2&limit=3',
          'archived&format',
          'format[]=csv',
          'asOf=2026-01-05&asOf=2026-01-06',
          '%00=%00',
        ),
      ),
    },
  );
}

/** The reply's Set-Cookie headers for `refresh_token`. */
function refreshCookiesSet(response: LightMyRequestResponse): string[] {
  const header = response.headers['set-cookie'];
  const all = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return all.filter((cookie) => cookie.startsWith('refresh_token='));
}

/**
 * Cookie mode's rules, whatever the request: the cookie's attributes; a refresh token in the JSON or
 * in the cookie, never both, and the cookie only with a success of a route that issues one; a refresh
 * by the cookie only from the allowed origin with `X-Requested-With: fetch`, answering the access
 * token alone; a 403 sets no cookie.
 */
function checkCookieMode(
  routeKey: string,
  request: FuzzRequest,
  response: LightMyRequestResponse,
  describeRequest: () => string,
): 'set' | 'cleared' | undefined {
  const cookies = refreshCookiesSet(response);
  expect(cookies.length, describeRequest()).toBeLessThanOrEqual(1);
  const [cookie] = cookies;
  const succeeded = response.statusCode >= 200 && response.statusCode < 300;
  if (cookie !== undefined) {
    for (const attribute of [/; HttpOnly(;|$)/, /; Secure(;|$)/, /; SameSite=Strict(;|$)/, /; Path=\/auth(;|$)/, /; Max-Age=\d+(;|$)/]) {
      expect(cookie, describeRequest()).toMatch(attribute);
    }
    expect(cookie, describeRequest()).not.toMatch(/; Domain=/i);
  }
  const setsToken = cookie !== undefined && !cookie.startsWith('refresh_token=;');
  if (setsToken) {
    expect(succeeded && TOKEN_ISSUING.has(routeKey), `a refresh_token cookie set: ${describeRequest()}`).toBe(true);
  }
  if (response.statusCode === 403) expect(cookie, `a 403 set a cookie: ${describeRequest()}`).toBeUndefined();
  const outcome = cookie === undefined ? undefined : setsToken ? 'set' : 'cleared';
  if (!succeeded || !TOKEN_ISSUING.has(routeKey) || !String(response.headers['content-type']).startsWith('application/json'))
    return outcome;
  const body = response.json<Record<string, unknown>>();
  if (body.accessToken === undefined) return outcome;
  // The refresh token is in exactly one place.
  expect(typeof body.refreshToken === 'string', `refresh token in the JSON and the cookie, or in neither: ${describeRequest()}`).toBe(
    !setsToken,
  );
  if (routeKey === 'POST /auth/refresh' && setsToken) {
    // A refresh by the cookie: only from the app, and only the access token in the JSON.
    expect({ origin: request.cookieMode.origin, requestedWith: request.cookieMode.requestedWith }, describeRequest()).toEqual({
      origin: APP_ORIGIN,
      requestedWith: 'fetch',
    });
    expect(Object.keys(body), describeRequest()).toEqual(['accessToken']);
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------------

describe('fuzzing every route', () => {
  const ctx = useTestApp({ corsOrigins: [APP_ORIGIN] });
  let actors: Actors;
  let doc: OpenAPIV3.Document;
  let aSnapshot: unknown;
  let requestsSent = 0;
  let routesCompleted = 0;
  const statusesByRoute = new Map<string, Map<number, number>>();
  /** How often each route set or cleared the refresh_token cookie (reported: shows cookie mode was reached). */
  const cookiesByRoute = new Map<string, { set: number; cleared: number }>();
  /** POST /sync: how many changes got each result (reported: shows the changes reached their own checks). */
  const syncResults = new Map<string, number>();
  /** Statuses a route sent that its OpenAPI operation does not list (reported, not asserted). */
  const undocumented = new Set<string>();
  const startedAt = Date.now();

  const inject = (method: Method, url: string, token: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined && { payload }) });

  const expectOk = (response: LightMyRequestResponse, status: number) => {
    expect(response.statusCode, response.body).toBe(status);
  };

  /** A habit with a goal and a check-in on DAY. */
  const createTrackedHabit = async (user: SignedUpUser, name: string) => {
    const created = await inject('POST', '/habits', user.accessToken, { name });
    expectOk(created, 201);
    const { id } = created.json<{ id: string }>();
    expectOk(await inject('PUT', `/habits/${id}/goal`, user.accessToken, { period: 'week', target: 3 }), 201);
    expectOk(await inject('PUT', `/habits/${id}/tracking/${DAY}`, user.accessToken, { value: 1, note: 'mine' }), 201);
    return id;
  };

  /** Everything A can see of A's data (ids of sessions only: lastUsedAt moves with A's own use). */
  const snapshotOfA = async () => {
    const { a, aHabitId } = actors;
    const urls = [
      '/auth/me',
      '/habits?archived=all',
      `/habits/${aHabitId}`,
      `/habits/${aHabitId}/goal`,
      `/habits/${aHabitId}/tracking?${RANGE}`,
      `/habits/${aHabitId}/stats?${AS_OF}`,
      '/export?format=csv',
      // A's whole feed: any write to A's items (even one that changes no field) moves a version and the cursor.
      '/sync',
    ];
    const replies = await Promise.all(urls.map((url) => inject('GET', url, a.accessToken)));
    replies.forEach((reply) => expectOk(reply, 200));
    const sessions = await inject('GET', '/auth/sessions', a.accessToken);
    expectOk(sessions, 200);
    return {
      ...Object.fromEntries(
        urls.map((url, index) => [url, url.startsWith('/export') ? replies[index]!.body : replies[index]!.json<unknown>()]),
      ),
      sessions: sessions
        .json<{ id: string }[]>()
        .map((session) => session.id)
        .sort(),
    };
  };

  /** After B's own fuzzed requests: B logged in again if B's session ended, and B owns a habit. */
  const healB = async ({ session, habit }: { session: boolean; habit: boolean }) => {
    if (session) {
      const me = await inject('GET', '/auth/me', actors.b.accessToken);
      if (me.statusCode === 401) actors.b = { ...actors.b, ...(await logIn(ctx.app, actors.b.email, actors.b.password)) };
      else expectOk(me, 200);
    }
    if (habit) {
      const response = await inject('GET', `/habits/${actors.bHabitId}`, actors.b.accessToken);
      if (response.statusCode === 404) actors.bHabitId = await createTrackedHabit(actors.b, `B ${randomUUID()}`);
      else expectOk(response, 200);
    }
  };

  const resolveId = (choice: IdChoice): string => {
    if (choice.kind === 'literal') return choice.text;
    const id = { aHabit: actors.aHabitId, bHabit: actors.bHabitId, aSession: actors.aSessionId, bSpareSession: actors.bSpareSessionId }[
      choice.kind
    ];
    switch (choice.spelling) {
      case 'plain':
        return id;
      case 'upper':
        return id.toUpperCase();
      case 'urn':
        return `urn:uuid:${id}`;
    }
  };

  const resolveAuthorization = (token: TokenChoice): string | undefined => {
    switch (token.kind) {
      case 'b':
        return `${token.scheme} ${actors.b.accessToken}`;
      case 'none':
        return undefined;
      case 'header':
        return token.value;
      case 'bTampered': {
        const last = actors.b.accessToken.at(-2) === 'A' ? 'B' : 'A';
        return `Bearer ${actors.b.accessToken.slice(0, -2)}${last}${actors.b.accessToken.at(-1)!}`;
      }
      case 'aRefreshAsAccess':
        return `Bearer ${actors.a.refreshToken}`;
    }
  };

  beforeAll(async () => {
    const a = await signUp(ctx.app, { name: 'Victim', timezone: 'Europe/Berlin' });
    const b = await signUp(ctx.app, { name: 'Attacker' });
    const bSpare = await logIn(ctx.app, b.email, b.password);
    actors = {
      a,
      aHabitId: '',
      aSessionId: sessionIdOf(a.accessToken),
      b,
      bHabitId: '',
      bSpareSessionId: sessionIdOf(bSpare.accessToken),
      aCursor: '',
      bCursor: '',
    };
    actors.aHabitId = await createTrackedHabit(a, "Victim's habit");
    actors.bHabitId = await createTrackedHabit(b, "Attacker's habit");
    // A deletes a check-in, so that A's feed holds a deletion too; then A's and B's cursors.
    expectOk(await inject('PUT', `/habits/${actors.aHabitId}/tracking/2026-01-06`, a.accessToken, {}), 201);
    expectOk(await inject('DELETE', `/habits/${actors.aHabitId}/tracking/2026-01-06`, a.accessToken), 204);
    for (const [user, name] of [
      [a, 'aCursor'],
      [b, 'bCursor'],
    ] as const) {
      const synced = await inject('GET', '/sync', user.accessToken);
      expectOk(synced, 200);
      actors[name] = synced.json<{ cursor: string }>().cursor;
    }
    aSnapshot = await snapshotOfA();

    const response = await ctx.app.inject({ method: 'GET', url: '/docs/json' });
    expectOk(response, 200);
    doc = (await SwaggerParser.dereference(structuredClone(response.json<OpenAPIV3.Document>()) as never)) as OpenAPIV3.Document;
  });

  afterAll(async () => {
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    const table = [...statusesByRoute].map(
      ([route, statuses]) =>
        `  ${route.padEnd(36)} ${[...statuses]
          .sort(([x], [y]) => x - y)
          .map(([status, count]) => `${status}×${count}`)
          .join(' ')}`,
    );
    console.log(`fuzz: ${requestsSent} requests in ${seconds} s\n${table.join('\n')}`);
    const cookies = [...cookiesByRoute].map(([route, { set, cleared }]) => `  ${route.padEnd(36)} set×${set} cleared×${cleared}`);
    if (cookies.length > 0) console.log(`refresh_token cookies:\n${cookies.join('\n')}`);
    if (syncResults.size > 0)
      console.log(`POST /sync results: ${[...syncResults].map(([status, count]) => `${status}×${count}`).join(' ')}`);
    if (undocumented.size > 0) console.log(`statuses sent but not in the OpenAPI document:\n  ${[...undocumented].sort().join('\n  ')}`);
  });

  it('covers every operation of the OpenAPI document', () => {
    const documented: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const)
        if (item?.[method]) documented.push(`${method.toUpperCase()} ${path}`);
    }
    expect(ROUTES.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(documented.sort());
  });

  it('fuzzes useCookie where a session starts: the documented bodies of signup, login and mfa/verify name it', () => {
    for (const path of ['/auth/signup', '/auth/login', '/auth/mfa/verify']) {
      const body = doc.paths[path]!.post!.requestBody as OpenAPIV3.RequestBodyObject;
      const schema = body.content['application/json']!.schema as OpenAPIV3.SchemaObject;
      expect(schema.properties?.useCookie, path).toMatchObject({ type: 'boolean' });
    }
  });

  it.each(ROUTES)(
    '$method $path: no 5xx, JSON errors, no access with a bad token or to A’s data',
    async ({ method, path }) => {
      const op = doc.paths[path]![method.toLowerCase() as Lowercase<Method>]!;
      const parameters = (op.parameters ?? []) as OpenAPIV3.ParameterObject[];
      const requestBody = op.requestBody as OpenAPIV3.RequestBodyObject | undefined;
      const bodySchema = requestBody?.content['application/json']?.schema as OpenAPIV3.SchemaObject | undefined;
      const authentication = authenticationOf(op);
      const pathParams = parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
      const queryParams = parameters.filter((parameter) => parameter.in === 'query');
      const getActors = () => actors;
      const routeKey = `${method} ${path}`;
      const statuses = new Map<number, number>();
      statusesByRoute.set(routeKey, statuses);

      const arbitrary = fc.record({
        token: tokenArbitrary(getActors),
        params: fc.record(Object.fromEntries(pathParams.map((name) => [name, idArbitrary(name)]))),
        query:
          queryParams.length > 0
            ? queryArbitrary(queryParams, getActors)
            : fc.oneof({ weight: 5, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryArbitrary([], getActors) }),
        body:
          routeKey === 'POST /sync'
            ? syncPushBodyArbitrary(doc, getActors)
            : bodyArbitrary(bodySchema, getActors, OPTIONAL_BODY.has(routeKey) ? 'optional' : bodySchema !== undefined, {
                victimRefreshToken: routeKey === 'POST /auth/logout',
                attackerPassword: ['POST /auth/email/change', 'POST /auth/mfa/totp', 'DELETE /auth/mfa/totp'].includes(routeKey),
              }),
        userAgent: fc.option(fc.oneof(printableAscii(300), fc.constant('x'.repeat(5000))), { nil: undefined }),
        cookieMode: cookieModeArbitrary(getActors, routeKey),
      });

      const property = fc.asyncProperty(arbitrary, async (request: FuzzRequest) => {
        const url =
          path.replace(/\{([^}]+)\}/g, (_, name: string) => resolveId(request.params[name]!)) +
          (request.query === '' ? '' : `?${request.query}`);
        const authorization = resolveAuthorization(request.token);
        const headers: Record<string, string> = {};
        if (authorization !== undefined) headers.authorization = authorization;
        if (request.userAgent !== undefined) headers['user-agent'] = request.userAgent;
        if (request.body?.contentType !== undefined) headers['content-type'] = request.body.contentType;
        const { cookie, origin, requestedWith } = request.cookieMode;
        if (cookie !== undefined) headers.cookie = cookie;
        if (origin !== undefined) headers.origin = origin;
        if (requestedWith !== undefined) headers['x-requested-with'] = requestedWith;

        const response = await ctx.app.inject({ method, url, headers, ...(request.body && { payload: request.body.payload }) });
        requestsSent += 1;
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        if (!(String(response.statusCode) in op.responses) && !TRANSPORT_STATUSES.has(response.statusCode)) {
          undocumented.add(`${routeKey} → ${response.statusCode}`);
        }
        let description: string | undefined;
        /** The request and the reply, shortened, for assertion messages (built once, only when needed). */
        const describeRequest = () =>
          (description ??= [
            `${method} ${url.length > 300 ? `${url.slice(0, 300)}…` : url}`,
            `  headers ${JSON.stringify(headers).slice(0, 400)}`,
            `  body ${request.body ? JSON.stringify(request.body.payload.toString().slice(0, 400)) : '(none)'}`,
            `→ ${response.statusCode} ${response.body.slice(0, 400)}`,
          ].join('\n'));

        expect(response.statusCode, describeRequest()).toBeLessThan(500);
        if (response.statusCode >= 400) {
          expect(response.headers['content-type'], describeRequest()).toMatch(/^application\/json/);
          const body = response.json<Record<string, unknown>>();
          expect(body, describeRequest()).toMatchObject({
            statusCode: response.statusCode,
            error: expect.any(String),
            message: expect.any(String),
          });
          expect(response.body, describeRequest()).not.toMatch(/prisma|postgres|SELECT |\n\s+at /i);
          // An error never echoes a huge input back (a 100 KB field, a 5000-character path).
          expect(response.body.length, describeRequest()).toBeLessThan(20_000);
        }

        if (response.statusCode === 429) expect(response.headers['retry-after'], describeRequest()).toBeDefined();

        const cookieOutcome = checkCookieMode(routeKey, request, response, describeRequest);
        if (cookieOutcome !== undefined) {
          const counts = cookiesByRoute.get(routeKey) ?? { set: 0, cleared: 0 };
          counts[cookieOutcome] += 1;
          cookiesByRoute.set(routeKey, counts);
        }
        if (OPTIONAL_BODY.has(routeKey) && request.body === undefined) {
          expect([400, 415], `a bare POST is a whole request: ${describeRequest()}`).not.toContain(response.statusCode);
        }
        if (routeKey === 'GET /sync' && response.statusCode === 200) {
          // B's feed, whatever the cursor (A's included): nothing of A's, not even a deletion.
          expect(response.body, describeRequest()).not.toContain(actors.aHabitId);
          expect(response.body, describeRequest()).not.toContain(actors.a.user.id);
          expect(response.body, describeRequest()).not.toContain('Victim');
        }
        if (routeKey === 'POST /sync' && response.statusCode === 200) {
          // B's own items only: one result per change, A's habit (however spelled) always rejected, nothing of A's shown.
          const { changes } = JSON.parse(request.body!.payload.toString()) as { changes: Record<string, unknown>[] };
          const { results } = response.json<{ results: { status: string; current?: unknown; error?: unknown }[] }>();
          expect(results.length, describeRequest()).toBe(changes.length);
          changes.forEach((change, index) => {
            const result = results[index]!;
            expect(['applied', 'conflict', 'rejected'], describeRequest()).toContain(result.status);
            syncResults.set(result.status, (syncResults.get(result.status) ?? 0) + 1);
            // A habit is addressed by `id`, a goal or check-in by `habitId` (the other key is ignored).
            if (sameUuid(change.type === 'habit' ? change.id : change.habitId, actors.aHabitId)) {
              expect(result, `change ${index} reached A’s habit: ${describeRequest()}`).toMatchObject({ status: 'rejected' });
            }
          });
          expect(response.body, describeRequest()).not.toContain(actors.aHabitId);
          expect(response.body, describeRequest()).not.toContain(actors.a.user.id);
          expect(response.body, describeRequest()).not.toContain('Victim');
        }
        if (routeKey === 'GET /.well-known/jwks.json' && response.statusCode === 200) {
          expect(response.headers['cache-control'], describeRequest()).toBe('public, max-age=600');
          // HS256: no key may be published.
          expect(response.json(), describeRequest()).toEqual({ keys: [] });
        }

        const succeeded = response.statusCode >= 200 && response.statusCode < 300;
        const token = request.token;
        // B's genuine token, or a forgery of B's exact claims (which may or may not verify).
        const mayBeB =
          token.kind === 'b' ||
          (token.kind === 'header' &&
            token.forgedWith?.userId === actors.b.user.id &&
            token.forgedWith.sid === sessionIdOf(actors.b.accessToken));
        if (authentication !== 'public' && succeeded) {
          // Only B's genuine token (or a forgery of B's exact claims with the real secret) gets through,
          // or no token at all where it is optional.
          const allowed = mayBeB || (authentication === 'optional' && token.kind === 'none');
          expect(allowed, `a bad token got a ${response.statusCode}: ${describeRequest()}`).toBe(true);
          const aTargets = Object.values(request.params).some((choice) => choice.kind === 'aHabit' || choice.kind === 'aSession');
          expect(aTargets, `B reached A’s data: ${describeRequest()}`).toBe(false);
        }
        // Missing, tampered and refresh tokens get 401 from a protected route, if the URL reaches it
        // (a garbage path segment such as `..` or `%zz` can make it another route, or none).
        const reachesRoute = Object.values(request.params).every(
          (choice) => choice.kind !== 'literal' || /^[\w-]{1,100}$/.test(choice.text),
        );
        if (reachesRoute && response.statusCode !== 429) {
          if (authentication === 'required' && token.kind !== 'b' && token.kind !== 'header') {
            expect(response.statusCode, describeRequest()).toBe(401);
          }
          // Where the token is optional, one that is sent is checked: anything but B's is a 401
          // (never ignored, so never a 2xx as an anonymous caller); no token at all is not a 401.
          if (authentication === 'optional') {
            if (token.kind === 'none') expect(response.statusCode, describeRequest()).not.toBe(401);
            else if (!mayBeB) expect(response.statusCode, describeRequest()).toBe(401);
          }
        }

        // Nothing reached Object.prototype.
        expect(Object.keys(Object.prototype), describeRequest()).toEqual([]);
        expect(({} as Record<string, unknown>).polluted, describeRequest()).toBeUndefined();

        await healB({
          session: SESSION_ENDING.has(routeKey),
          habit:
            (routeKey === 'DELETE /habits/{id}' && request.params.id?.kind === 'bHabit' && succeeded) ||
            (routeKey === 'POST /sync' && succeeded),
        });
      });

      await fc.assert(property, { numRuns: RUNS_PER_ROUTE, ...(SEED !== undefined && { seed: SEED }) });
      if (!SESSION_ENDING.has(routeKey)) {
        const me = await inject('GET', '/auth/me', actors.b.accessToken);
        expect(me.statusCode, `${routeKey} ended B’s session, and is not in SESSION_ENDING: ${me.body}`).toBe(200);
      }
      routesCompleted += 1;
    },
    120_000,
  );

  describe('a token pairing B’s live session with another user id (signed with the real access secret)', () => {
    /**
     * Not something a client can make without the secret, but the session check exists so that a
     * token is only as good as its (user, session) pair: every protected route must refuse this
     * one, also while B's session is in the "recently active" cache, and so must every route where
     * the token is optional (one that is sent is checked). C is a third user, so that a failure
     * here cannot disturb the checks on A below.
     */
    it('gets 401 on every protected route and every route with an optional token', async () => {
      const c = await signUp(ctx.app, { name: 'Third user' });
      const cHabitId = await createTrackedHabit(c, "Third user's habit");
      const accepted: string[] = [];
      for (const { method, path } of ROUTES) {
        const op = doc.paths[path]![method.toLowerCase() as Lowercase<Method>]!;
        if (authenticationOf(op) === 'public') continue;
        // B is active right now, so B's session id is in the authenticate hook's cache.
        expectOk(await inject('GET', '/auth/me', actors.b.accessToken), 200);
        const iat = nowSeconds();
        const claims = {
          userId: c.user.id,
          email: c.email,
          sid: sessionIdOf(actors.b.accessToken),
          iat,
          exp: iat + 900,
          iss: issuer,
          aud: audience,
        };
        const url = path.replace('{id}', path.startsWith('/auth/sessions') ? sessionIdOf(c.accessToken) : cHabitId).replace('{date}', DAY);
        const response = await ctx.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${forgeJwt({ alg: 'HS256', typ: 'JWT' }, claims, accessSecret)}` },
          ...(method !== 'GET' && { payload: {} }),
        });
        if (response.statusCode !== 401) accepted.push(`${method} ${url} → ${response.statusCode} ${response.body.slice(0, 120)}`);
      }
      expect(accepted, 'accepted a token whose user id does not own its session').toEqual([]);
    });
  });

  describe('afterwards', () => {
    it('A’s account, habit, goal, check-ins, statistics, export and sessions are unchanged', async () => {
      expect(await snapshotOfA()).toEqual(aSnapshot);
    });

    it('A’s refresh token still works (no fuzzed logout or refresh revoked A’s session)', async () => {
      const response = await ctx.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: actors.a.refreshToken } });
      expectOk(response, 200);
    });

    it('A’s password still signs A in at A’s address (no fuzzed reset or email change replaced either)', async () => {
      const { user } = await logIn(ctx.app, actors.a.email, actors.a.password);
      expect(user).toMatchObject({ id: actors.a.user.id, email: actors.a.email });
    });

    it('Object.prototype is not polluted', () => {
      expect(Object.keys(Object.prototype)).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES);
    });

    it('sent every planned request (fast-check skipped none)', () => {
      expect(requestsSent).toBeGreaterThanOrEqual(RUNS_PER_ROUTE * routesCompleted);
    });
  });
});
