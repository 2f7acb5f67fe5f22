/** Factories for test data, created through the API itself. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export interface SignedUpUser {
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; name: string | null; timezone: string; createdAt: string };
}

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomBytes(6).toString('hex')}@example.com`;
}

export async function signUp(
  app: FastifyInstance,
  fields: { email?: string; password?: string; name?: string; timezone?: string } = {},
): Promise<SignedUpUser> {
  const body = { email: uniqueEmail(), password: 'correct horse battery', ...fields };
  const response = await app.inject({ method: 'POST', url: '/auth/signup', payload: body });
  if (response.statusCode !== 201) throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  const reply = response.json<Omit<SignedUpUser, 'email' | 'password'>>();
  return { email: body.email.trim().toLowerCase(), password: body.password, ...reply };
}

export async function logIn(app: FastifyInstance, email: string, password: string) {
  const response = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return response.json<Omit<SignedUpUser, 'email' | 'password'>>();
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
