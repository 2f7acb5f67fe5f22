/**
 * The benchmark's baseline: the least work that answers the `read`, `login` and `refresh` requests
 * of `npm run bench` with the same replies as the real server, on the same database: bare Fastify
 * (no logger, no hooks, no validation or response schemas), fast-jwt HS256, `pg` with
 * parameterized SQL as named (prepared) statements, as the API's hot paths use, and bcryptjs on worker threads (the project's own pool: one worker per CPU).
 * It skips what the real server adds: rate limiting, security headers, the session check, input
 * validation, reuse detection. Those are what the ratios in the bench report cost.
 *
 * Run by bench/suite.ts: `node --import tsx bench/baseline-server.ts` with the environment the API
 * server gets (bench/lib.ts serverEnvironment), read by the API's own loadConfig.
 */
import { randomUUID } from 'node:crypto';
import { createSigner, createVerifier } from 'fast-jwt';
import Fastify, { type FastifyReply } from 'fastify';
import pg from 'pg';
import { createPasswordHasher } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config/env.js';
import { ACCESS_TOKEN_TTL_SECONDS, hashRefreshToken, REFRESH_TOKEN_TTL_SECONDS } from '../src/auth/tokens.js';

const config = loadConfig(process.env);
if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
const accessSecret = config.jwt.accessKeys.signingKey;
const refreshSecret = config.jwt.refreshKeys.signingKey;

const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
const passwords = createPasswordHasher({ rounds: config.bcryptRounds });
const signAccess = createSigner({ key: accessSecret, algorithm: 'HS256', expiresIn: ACCESS_TOKEN_TTL_SECONDS * 1000 });
const verifyAccess = createVerifier({ key: accessSecret, algorithms: ['HS256'] });
const signRefresh = createSigner({ key: refreshSecret, algorithm: 'HS256', expiresIn: REFRESH_TOKEN_TTL_SECONDS * 1000 });
const verifyRefresh = createVerifier({ key: refreshSecret, algorithms: ['HS256'] });

interface Claims {
  userId: string;
  sid: string;
}

function claimsOf(verify: (token: string) => Claims, token: unknown): Claims | null {
  try {
    return typeof token === 'string' ? verify(token) : null;
  } catch {
    return null;
  }
}

const unauthorized = (reply: FastifyReply) => reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'Unauthorized' });

/** A new refresh token for session `sid`, and its row's values. */
function newRefreshToken(userId: string, sid: string) {
  const jti = randomUUID();
  const refreshToken = signRefresh({ userId, sid, jti });
  return { refreshToken, row: [jti, hashRefreshToken(refreshToken), sid, userId, new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000)] };
}

const app = Fastify();

// read: GET /habits
app.get('/habits', async (request, reply) => {
  const claims = claimsOf(verifyAccess, request.headers.authorization?.slice('Bearer '.length));
  if (!claims) return unauthorized(reply);
  const { rows } = await pool.query<Record<string, unknown>>({
    name: 'read',
    text: `SELECT id, name, description, color, icon, kind, unit, position, archived, "createdAt", "updatedAt"
     FROM "Habit" WHERE "userId" = $1 AND archived = false ORDER BY position, "createdAt", id LIMIT 50`,
    values: [claims.userId],
  });
  return rows;
});

// login: POST /auth/login — one query for the user, bcrypt, one statement for the session and its token.
app.post('/auth/login', async (request, reply) => {
  const { email, password } = request.body as { email: string; password: string };
  const { rows } = await pool.query<{
    id: string;
    email: string;
    name: string | null;
    timezone: string;
    createdAt: Date;
    password: string;
  }>({
    name: 'user',
    text: 'SELECT id, email, name, timezone, "createdAt", password FROM "User" WHERE email = $1',
    values: [email],
  });
  const user = rows[0];
  if (!user || !(await passwords.verify(password, user.password))) return unauthorized(reply);
  const sid = randomUUID();
  const { refreshToken, row } = newRefreshToken(user.id, sid);
  await pool.query({
    name: 'login',
    text: `WITH session AS (INSERT INTO "Session" (id, "userId", "expiresAt") VALUES ($3, $4, $5) RETURNING id)
     INSERT INTO "RefreshToken" (id, "tokenHash", "sessionId", "userId", "expiresAt") SELECT $1, $2, id, $4, $5 FROM session`,
    values: row,
  });
  const publicUser = { id: user.id, email: user.email, name: user.name, timezone: user.timezone, createdAt: user.createdAt };
  return { accessToken: signAccess({ userId: user.id, email: user.email, sid }), refreshToken, user: publicUser };
});

// refresh: POST /auth/refresh — one statement rotates the presented token, if it and its session are
// live (a logged-out session must get 401 here too), and stores the next one.
app.post('/auth/refresh', async (request, reply) => {
  const presented = (request.body as { refreshToken?: unknown }).refreshToken;
  const claims = claimsOf(verifyRefresh, presented);
  if (!claims) return unauthorized(reply);
  const { refreshToken, row } = newRefreshToken(claims.userId, claims.sid);
  const { rows } = await pool.query<{ email: string }>({
    name: 'refresh',
    text: `WITH rotated AS (
       UPDATE "RefreshToken" t SET "rotatedAt" = now()
         FROM "Session" s
        WHERE t."tokenHash" = $6 AND t."rotatedAt" IS NULL AND t."revokedAt" IS NULL AND t."expiresAt" > now()
          AND s.id = t."sessionId" AND s."revokedAt" IS NULL AND s."expiresAt" > now()
       RETURNING t."sessionId", t."userId"
     ), stored AS (
       INSERT INTO "RefreshToken" (id, "tokenHash", "sessionId", "userId", "expiresAt") SELECT $1, $2, $3, $4, $5 FROM rotated
     )
     SELECT email FROM "User" WHERE id = (SELECT "userId" FROM rotated)`,
    values: [...row, hashRefreshToken(presented as string)],
  });
  const email = rows[0]?.email;
  if (email === undefined) return unauthorized(reply);
  // The access token carries the email, known only now; the refresh token (already stored) does not.
  return { accessToken: signAccess({ userId: claims.userId, email, sid: claims.sid }), refreshToken };
});

const shutdown = async (): Promise<void> => {
  await app.close();
  await Promise.all([pool.end(), passwords.close()]);
};
process.once('SIGTERM', () => void shutdown().then(() => process.exit(0)));

await app.listen({ host: config.host, port: config.port });
