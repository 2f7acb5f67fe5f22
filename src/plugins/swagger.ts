/**
 * OpenAPI 3 from the route schemas (the same ones that validate requests): the document at
 * GET /docs/json and Swagger UI at GET /docs. Registered before the routes so it sees them all.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

/** sha256 of `.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}` (swagger-ui 5). */
const SWAGGER_UI_LOGO_STYLE_HASH = 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w=';

/**
 * @fastify/swagger turns a schema's `examples` array into OpenAPI 3.0's `example`, but not inside
 * anyOf/oneOf/allOf (a nullable day, POST /sync's `current`). In 3.0 an `examples` array is never
 * valid (media types and parameters take a map), so every one left is converted here.
 */
function exampleForEachExamplesArray(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  const object = node as Record<string, unknown>;
  if (Array.isArray(object.examples)) {
    if (object.example === undefined) object.example = object.examples[0];
    delete object.examples;
  }
  for (const value of Object.values(object)) exampleForEachExamplesArray(value);
}

export default fp(
  async (fastify) => {
    await fastify.register(fastifySwagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Habit Tracker API',
          version: '0.1.0',
          description:
            'Track habits, goals and daily check-ins. Authenticate with `POST /auth/login` (or `/auth/signup`) and send the ' +
            '`accessToken` as `Authorization: Bearer <token>`; renew it with `POST /auth/refresh`.',
        },
        tags: [
          { name: 'auth', description: 'Accounts, sessions and tokens' },
          { name: 'two-factor', description: 'Two-factor sign-in with an authenticator app (TOTP)' },
          { name: 'habits' },
          { name: 'goals' },
          { name: 'check-ins' },
          { name: 'statistics' },
          { name: 'reminders', description: 'When to fire local notifications' },
          { name: 'export' },
          { name: 'import', description: 'Bring in a JSON export of this API' },
          { name: 'sync', description: 'Offline-first sync for mobile apps' },
          { name: 'operations' },
        ],
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access token (15 minutes)' },
          },
        },
      },
      transformObject: (document) => {
        exampleForEachExamplesArray(document);
        return 'openapiObject' in document ? document.openapiObject : document.swaggerObject;
      },
    });
    // The UI pages get a policy that lets Swagger UI load its own scripts and styles (helmet's
    // API-wide default-src 'none' would block them), without upgrade-insecure-requests, which would
    // break the UI on plain-HTTP development servers. The one inline style Swagger UI needs, the
    // <style> inside its top-bar logo SVG, is allowed by its hash, not by 'unsafe-inline'
    // (tests/browser/browser.test.ts fails on any CSP violation, so an upgrade that changes it shows).
    await fastify.register(fastifySwaggerUi, {
      routePrefix: '/docs',
      staticCSP:
        "default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'none'; img-src 'self' data:; " +
        "object-src 'none'; script-src 'self'; script-src-attr 'none'; " +
        `style-src 'self' https: '${SWAGGER_UI_LOGO_STYLE_HASH}'`,
    });
  },
  { name: 'swagger' },
);
