/**
 * The OpenAPI document at GET /docs/json describes the API that is really there: it is a valid
 * OpenAPI 3.0.3 document, it lists every registered route (and only those) with the right security,
 * a summary and the status codes the route sends, its examples pass the app's own validation, and
 * what it says about authentication and required query parameters matches what the routes do.
 * Swagger UI is served at GET /docs.
 */
import { randomUUID } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidatorCompiler } from '../../src/http/ajv.js';
import { useTestApp } from '../helpers/app.js';
import { bearer, logIn, signUp, type SignedUpUser } from '../helpers/factories.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];

interface Operation {
  method: HttpMethod;
  /** The path as the document writes it, e.g. `/habits/{id}/goal`. */
  path: string;
  op: OpenAPIV3.OperationObject;
}

/** Routes anyone may call. Everything else must be registered behind `authenticate` (API.md). */
const PUBLIC_ROUTES = new Set([
  'POST /auth/signup',
  'POST /auth/login',
  'POST /auth/refresh',
  'POST /auth/password/forgot',
  'POST /auth/password/reset',
  // The second step of a sign-in with two-factor on: the caller has an mfaToken, not yet an access token.
  'POST /auth/mfa/verify',
  'GET /health',
  'GET /.well-known/jwks.json',
]);
/** Public routes whose credential is a refresh token (in the body or the cookie): without one, 401 though no bearer token is documented. */
const REFRESH_TOKEN_ROUTES = new Set(['POST /auth/refresh']);
/** Routes that work without an access token and check one when it is sent: documented with `security: [{}, { bearerAuth: [] }]`. */
const OPTIONAL_TOKEN_ROUTES = new Set(['POST /auth/email/verify', 'POST /auth/email/verify/resend']);
/** Paths (with everything below them) that require an access token (API.md, "Protected routes"). */
const PROTECTED_PREFIXES = [
  '/habits',
  '/sync',
  '/today',
  '/reminders',
  '/export',
  '/import',
  '/auth/logout',
  '/auth/me',
  '/auth/change-password',
  '/auth/sessions',
  '/auth/events',
  '/auth/email/change',
  '/auth/mfa',
];

const underPrefix = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}-`);

const hasOptionalToken = (method: string, path: string) => OPTIONAL_TOKEN_ROUTES.has(`${method.toUpperCase()} ${path}`);

function isProtected(method: string, path: string): boolean {
  if (PUBLIC_ROUTES.has(`${method.toUpperCase()} ${path}`) || hasOptionalToken(method, path)) return false;
  if (PROTECTED_PREFIXES.some((prefix) => underPrefix(path, prefix))) return true;
  throw new Error(`${method.toUpperCase()} ${path} is neither listed as public nor under a protected prefix: classify it in this test`);
}

/** `/habits/:id/tracking/:date` → `/habits/{id}/tracking/{date}`. */
const toOpenApiPath = (route: string) => route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

function operationsOf(doc: OpenAPIV3.Document): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item?.[method];
      if (op) operations.push({ method, path, op });
    }
  }
  return operations;
}

/** The doc is dereferenced in beforeAll, so no `$ref` is left; this narrows the types. */
function resolved<T extends object>(value: T | OpenAPIV3.ReferenceObject | undefined): T | undefined {
  if (value && '$ref' in value) throw new Error(`unexpected $ref ${value.$ref} in a dereferenced document`);
  return value;
}

const parametersOf = (op: OpenAPIV3.OperationObject) =>
  (op.parameters ?? []).map((parameter) => resolved<OpenAPIV3.ParameterObject>(parameter)!);

/** A URL for an operation: `{id}` → the given id, `{date}` → a valid calendar day. */
function urlFor(path: string, id: string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => (name === 'date' ? '2026-01-05' : id));
}

/** Every schema (or parameter) in the document that carries an `example`, with its JSON pointer. */
function collectExamples(node: unknown, pointer: string, found: { pointer: string; schema: object; example: unknown }[]) {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    node.forEach((item, index) => collectExamples(item, `${pointer}/${index}`, found));
    return;
  }
  const record = node as Record<string, unknown>;
  if ('example' in record) {
    // Parameter and media type objects hold their schema in `schema`; a schema object is its own schema.
    const holdsSchema = typeof record.schema === 'object' && record.schema !== null;
    const schema = holdsSchema ? withoutExamples(record.schema) : withoutExamples(record);
    found.push({ pointer, schema, example: record.example });
  }
  for (const [name, value] of Object.entries(record))
    collectExamples(value, `${pointer}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, found);
}

/** A deep copy of a schema without OpenAPI's `example` keyword (unknown to a strict JSON Schema validator). */
function withoutExamples(schema: unknown): object {
  return JSON.parse(JSON.stringify(schema, (name, value: unknown) => (name === 'example' ? undefined : value))) as object;
}

describe('OpenAPI document and Swagger UI', () => {
  const ctx = useTestApp();
  let user: SignedUpUser;
  let habitId: string;
  /** The document as served. */
  let doc: OpenAPIV3.Document;
  /** The same, with every `$ref` resolved (a copy: the served document is never mutated). */
  let dereferenced: OpenAPIV3.Document;
  let operations: Operation[];

  beforeAll(async () => {
    user = await signUp(ctx.app);
    const created = await ctx.app.inject({ method: 'POST', url: '/habits', headers: bearer(user.accessToken), payload: { name: 'Docs' } });
    expect(created.statusCode, created.body).toBe(201);
    habitId = created.json<{ id: string }>().id;

    const response = await ctx.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode, response.body).toBe(200);
    doc = response.json<OpenAPIV3.Document>();
    dereferenced = (await SwaggerParser.dereference(structuredClone(doc) as never)) as OpenAPIV3.Document;
    operations = operationsOf(dereferenced);
  });

  describe('GET /docs/json', () => {
    it('serves an OpenAPI 3.0.3 document as JSON', async () => {
      const response = await ctx.app.inject({ method: 'GET', url: '/docs/json' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(doc.openapi).toBe('3.0.3');
      expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
      expect(operations.length).toBeGreaterThan(0);
    });

    it('passes OpenAPI 3.0.3 schema validation (swagger-parser)', async () => {
      // validate() dereferences in place, hence the copy.
      await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    });

    it('has examples that pass the app’s own request validation', () => {
      const compile = createValidatorCompiler();
      const examples: { pointer: string; schema: object; example: unknown }[] = [];
      collectExamples(doc, '#', examples);
      expect(examples.length).toBeGreaterThan(0);
      const invalid = examples.filter(({ schema, example }) => {
        const validate = compile({ schema: withoutExamples(schema), httpPart: 'body', method: 'GET', url: '/' }) as (
          data: unknown,
        ) => boolean;
        return !validate(structuredClone(example));
      });
      expect(invalid.map(({ pointer, example }) => `${pointer}: ${JSON.stringify(example)}`)).toEqual([]);
    });

    it('tags every operation with a tag the document declares', () => {
      const declared = new Set((doc.tags ?? []).map((tag) => tag.name));
      for (const { method, path, op } of operations) {
        expect(op.tags?.length, key(method, path)).toBeGreaterThan(0);
        for (const tag of op.tags ?? []) expect(declared, `${key(method, path)}: tag ${tag}`).toContain(tag);
      }
    });
  });

  describe('paths', () => {
    it('lists every registered route (HEAD, OPTIONS and /docs aside), and only registered routes', () => {
      const registered = ctx.routes;
      // The onRoute hook saw them all: routes of every kind are found.
      const registeredKeys = new Set(registered.map(({ method, path }) => key(method, path)));
      for (const known of ['GET /health', 'POST /habits', 'PATCH /auth/me', 'PUT /habits/:id/tracking/:date', 'GET /docs/json']) {
        expect(registeredKeys).toContain(known);
      }

      const api = registered
        .filter(({ method, path }) => method !== 'HEAD' && method !== 'OPTIONS' && !underPrefix(path, '/docs') && !path.includes('*'))
        .map(({ method, path }) => key(method, toOpenApiPath(path)));
      const documented = operations.map(({ method, path }) => key(method, path));

      expect([...new Set(api)].sort(), 'registered routes missing from the document').toEqual(expect.arrayContaining(documented.sort()));
      expect(documented.sort(), 'every registered route is documented').toEqual(expect.arrayContaining([...new Set(api)].sort()));
      expect(new Set(documented).size).toBe(documented.length);
    });

    it('declares every path parameter of a templated path', () => {
      for (const { method, path, op } of operations) {
        const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
        const declared = parametersOf(op)
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => parameter.name)
          .sort();
        expect(declared, key(method, path)).toEqual(inTemplate);
      }
    });
  });

  describe('reply schemas', () => {
    /** JSON pointers (from the route) of each anyOf of exactly one schema and null in `node`. */
    function nullUnions(node: unknown, pointer: string, found: string[]): string[] {
      if (typeof node !== 'object' || node === null) return found;
      const record = node as Record<string, unknown>;
      const branches = Array.isArray(record.anyOf) ? (record.anyOf as { type?: unknown }[]) : [];
      if (branches.length === 2 && branches.some((branch) => branch.type === 'null')) found.push(pointer);
      for (const [name, value] of Object.entries(record)) nullUnions(value, `${pointer}/${name}`, found);
      return found;
    }

    it('give "this or null" as one nullable type, never an anyOf (the serializer would run Ajv on each value)', () => {
      // NullableScalar / NullableObject (src/schemas/common.schema.ts): fast-json-stringify checks a
      // value against an anyOf's branches with Ajv, which builds error objects for each null.
      const withReplies = ctx.routes.filter((route) => route.response !== undefined);
      expect(withReplies.map(({ method, path }) => key(method, path))).toContain('GET /habits');
      const unions = withReplies.flatMap(({ method, path, response }) => nullUnions(response, key(method, path), []));
      expect(unions).toEqual([]);
    });
  });

  describe('security', () => {
    it('defines bearerAuth as an HTTP bearer scheme and sets no document-wide requirement', () => {
      const scheme = resolved(doc.components?.securitySchemes?.bearerAuth);
      expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer' });
      // A global `security` would silently apply to the public routes too.
      expect(doc.security ?? []).toEqual([]);
    });

    it('requires bearerAuth on every protected route, and on no public one', () => {
      const protectedOps = operations.filter(({ method, path }) => isProtected(method, path));
      const optionalOps = operations.filter(({ method, path }) => hasOptionalToken(method, path));
      const publicOps = operations.filter(({ method, path }) => !isProtected(method, path) && !hasOptionalToken(method, path));
      expect(publicOps.map(({ method, path }) => key(method, path)).sort()).toEqual([...PUBLIC_ROUTES].sort());
      expect(optionalOps.map(({ method, path }) => key(method, path)).sort()).toEqual([...OPTIONAL_TOKEN_ROUTES].sort());
      expect(protectedOps.length).toBeGreaterThan(0);
      for (const { method, path, op } of protectedOps) expect(op.security, key(method, path)).toEqual([{ bearerAuth: [] }]);
      for (const { method, path, op } of optionalOps) expect(op.security, key(method, path)).toEqual([{}, { bearerAuth: [] }]);
      for (const { method, path, op } of publicOps) expect(op.security ?? [], key(method, path)).toEqual([]);
    });

    it('matches the routes: without a token exactly the documented-protected routes answer 401', async () => {
      const mismatches: string[] = [];
      for (const { method, path, op } of operations) {
        const response = await ctx.app.inject({ method: method.toUpperCase() as 'GET', url: urlFor(path, randomUUID()) });
        // `{}` among the requirements: the token is optional.
        const security = op.security ?? [];
        const documentedProtected = security.length > 0 && !security.some((requirement) => Object.keys(requirement).length === 0);
        const answered401 = response.statusCode === 401;
        if (REFRESH_TOKEN_ROUTES.has(key(method, path))) {
          if (!answered401) mismatches.push(`${key(method, path)}: ${response.statusCode} without a refresh token`);
          continue;
        }
        if (documentedProtected !== answered401)
          mismatches.push(`${key(method, path)}: security ${JSON.stringify(op.security)} but ${response.statusCode}`);
        if (answered401) expect(response.headers['www-authenticate'], key(method, path)).toBe('Bearer');
      }
      expect(mismatches).toEqual([]);
    });
  });

  describe('operations', () => {
    it('each have a summary', () => {
      for (const { method, path, op } of operations) {
        expect(typeof op.summary, key(method, path)).toBe('string');
        expect(op.summary!.trim().length, key(method, path)).toBeGreaterThan(0);
      }
    });

    it('each document a success status, and 400 / 401 / 404 where the route can send them', () => {
      for (const { method, path, op } of operations) {
        const codes = Object.keys(op.responses);
        const label = `${key(method, path)} documents ${codes.join(', ')}`;
        expect(
          codes.some((code) => ['200', '201', '202', '204'].includes(code)),
          label,
        ).toBe(true);
        // Anything validated can fail validation.
        if (op.requestBody !== undefined || parametersOf(op).length > 0) expect(codes, label).toContain('400');
        if (isProtected(method, path)) expect(codes, label).toContain('401');
        // A path naming a resource can name one that does not exist (or is someone else's).
        if (path.includes('{')) expect(codes, label).toContain('404');
      }
    });

    it('describe every error response with the { statusCode, error, message } shape, and 204 with no body', () => {
      for (const { method, path, op } of operations) {
        for (const [code, value] of Object.entries(op.responses)) {
          const response = resolved<OpenAPIV3.ResponseObject>(value)!;
          const label = `${key(method, path)} ${code}`;
          expect(response.description, label).toEqual(expect.any(String));
          if (code === '204') {
            expect(response.content, label).toBeUndefined();
            continue;
          }
          const schema = resolved(response.content?.['application/json']?.schema);
          expect(schema, `${label} has an application/json schema`).toBeDefined();
          if (Number(code) >= 400) {
            expect(schema, label).toMatchObject({ type: 'object', required: expect.arrayContaining(['statusCode', 'error', 'message']) });
          }
        }
      }
    });

    it('mark a query parameter required only if the route rejects a request without it', async () => {
      const wronglyRequired: string[] = [];
      for (const { method, path, op } of operations) {
        const required = parametersOf(op).filter((parameter) => parameter.in === 'query' && parameter.required === true);
        if (required.length === 0) continue;
        // All the other query parameters omitted too: the route's defaults apply.
        const response = await ctx.app.inject({
          method: method.toUpperCase() as 'GET',
          url: urlFor(path, habitId),
          headers: bearer(user.accessToken),
        });
        if (response.statusCode < 400) {
          wronglyRequired.push(
            `${key(method, path)} answers ${response.statusCode} without ${required.map((parameter) => parameter.name).join(', ')}`,
          );
        }
      }
      expect(wronglyRequired, 'required: true in the document, but optional in fact (a generated client would force them)').toEqual([]);
    });

    // 413, 414, 415 and 429 can answer any request before it reaches a route; they are not required here.
    it('list the status codes the route actually sends for typical bad requests', async () => {
      const undocumented: string[] = [];
      for (const { method, path, op } of operations) {
        const codes = new Set(Object.keys(op.responses));
        const protectedRoute = isProtected(method, path);
        const probes: { label: string; url: string; payload?: string; contentType?: string }[] = [
          { label: 'unknown id', url: urlFor(path, randomUUID()) },
          { label: 'malformed id', url: urlFor(path, 'not-a-uuid') },
        ];
        if (op.requestBody !== undefined) {
          probes.push({ label: 'body of the wrong type', url: urlFor(path, habitId), payload: '[1,2,3]', contentType: 'application/json' });
        }
        if (method !== 'get') {
          // Fastify parses the body of every POST, PUT, PATCH and DELETE, with or without a body schema.
          probes.push({ label: 'malformed JSON body', url: urlFor(path, habitId), payload: '{"a":', contentType: 'application/json' });
        }
        for (const probe of probes) {
          // A session of its own per probe: a probe of /auth/logout* ends the session it uses.
          const { accessToken } = await logIn(ctx.app, user.email, user.password);
          const response = await ctx.app.inject({
            method: method.toUpperCase() as 'GET',
            url: probe.url,
            headers: {
              ...(protectedRoute && bearer(accessToken)),
              ...(probe.contentType !== undefined && { 'content-type': probe.contentType }),
            },
            ...(probe.payload !== undefined && { payload: probe.payload }),
          });
          if (!codes.has(String(response.statusCode)))
            undocumented.push(`${key(method, path)} (${probe.label}) → ${response.statusCode} ${response.body}`);
        }
      }
      expect(undocumented).toEqual([]);
    });
  });

  describe('GET /docs', () => {
    it('serves Swagger UI as HTML', async () => {
      let response = await ctx.app.inject({ method: 'GET', url: '/docs' });
      // @fastify/swagger-ui may redirect /docs to /docs/ (or to its static index): follow it once.
      if (response.statusCode >= 300 && response.statusCode < 400) {
        const location = response.headers.location;
        expect(location, 'a redirect has a Location').toEqual(expect.any(String));
        response = await ctx.app.inject({ method: 'GET', url: new URL(String(location), 'http://localhost/docs').pathname });
      }
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toMatch(/swagger/i);
    });

    it('serves the script that points Swagger UI at the document', async () => {
      const response = await ctx.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('json');
    });
  });
});
