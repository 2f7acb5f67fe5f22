/** A client that disconnects before its request is handled is no error of the server's. */
import { createConnection } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/http/logger.js';
import { useTestApp } from '../helpers/app.js';
import { logIn, signUp } from '../helpers/factories.js';
import { logCapture } from '../helpers/logs.js';

const CLIENTS = 100;

/** Writes one request and closes the connection at once, without waiting for the reply. */
function sendAndHangUp(port: number, accessToken: string): Promise<void> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end(`GET /habits HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${accessToken}\r\n\r\n`, () => {
        socket.destroy();
      });
    });
    socket.on('close', () => done());
    socket.on('error', () => undefined);
  });
}

describe('clients that hang up', () => {
  const { stream, lines } = logCapture();
  const ctx = useTestApp({}, { logger: { ...(loggerOptions({ env: 'production', logLevel: 'info' }) as object), stream } });
  beforeAll(async () => {
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  });

  it('log no error when the connection closes while the request is being authenticated', async () => {
    // A new session per client: each request's session check is a database round trip (no cache).
    const user = await signUp(ctx.app);
    const sessions = await Promise.all(Array.from({ length: CLIENTS }, () => logIn(ctx.app, user.email, user.password)));
    const { port } = ctx.app.server.address() as { port: number };
    await Promise.all(sessions.map((session) => sendAndHangUp(port, session.accessToken)));
    // Requests still in the server's hands finish (or are dropped) before it closes.
    await ctx.app.close();
    const errors = lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errors.map((line) => (JSON.parse(line) as { err?: { message?: string } }).err?.message)).toEqual([]);
  });
});
