#!/usr/bin/env node
/**
 * Auth walk-through: signup → login → /auth/me → refresh → logout, against a running server.
 *
 * Usage:  node examples/auth-walkthrough.mjs [BASE_URL]
 *         BASE_URL=http://localhost:3000 node examples/auth-walkthrough.mjs
 *
 * Node ≥ 20, no dependencies. Prints one line per step with its HTTP status; on an unexpected status
 * it prints the response body (tokens redacted) and exits with code 1. Tokens and the password
 * are never printed.
 */
import { randomBytes } from 'node:crypto';

const baseUrl = (process.argv[2] || process.env.BASE_URL || 'http://localhost:3000').replace(/\/+$/, '');
const email = `walkthrough-${randomBytes(6).toString('hex')}@example.com`;
const password = randomBytes(12).toString('base64url');

let step = 0;

/** Sends one request, prints `N. METHOD /path → status`, and throws on an unexpected status. */
async function call(method, path, expected, { token, body, note } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((error) => {
    throw new Error(`Could not reach ${baseUrl}: ${error.cause?.message ?? error.message}`);
  });
  const text = await response.text();
  console.log(`${++step}. ${method} ${path}${note ? ` ${note}` : ''} → ${response.status}`);
  if (response.status !== expected) {
    throw new Error(`Step ${step}: expected ${expected}, got ${response.status}. Body:\n${redact(text)}`);
  }
  return text ? JSON.parse(text) : null;
}

/** Hides anything shaped like a JWT (header.payload.signature) before a body is printed. */
function redact(text) {
  return text.replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '[redacted token]');
}

console.log(`Auth walk-through against ${baseUrl} as ${email}`);
try {
  await call('POST', '/auth/signup', 201, { body: { email, password, name: 'Walk-through' } });
  const login = await call('POST', '/auth/login', 200, { body: { email, password } });
  await call('GET', '/auth/me', 200, { token: login.accessToken, note: 'with access token' });
  await call('GET', '/auth/me', 401, { note: 'without token' });
  const pair = await call('POST', '/auth/refresh', 200, { body: { refreshToken: login.refreshToken } });
  await call('POST', '/auth/logout', 204, { token: pair.accessToken, body: { refreshToken: pair.refreshToken } });
  await call('POST', '/auth/refresh', 401, { body: { refreshToken: pair.refreshToken }, note: 'with logged-out token' });
  console.log(`All ${step} steps passed`);
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
}
