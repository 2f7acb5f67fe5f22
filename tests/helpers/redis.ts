/**
 * Redis for the tests that need one: TEST_REDIS_URL, or the local server. Where no Redis answers,
 * those tests are skipped, except in CI (CI=true), which must run them and so fails instead.
 */
import { createConnection } from 'node:net';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379), timeout: 1_000 });
    socket.once('connect', () => {
      socket.end('PING\r\n');
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export const redisAvailable = await answers(TEST_REDIS_URL);
if (!redisAvailable && process.env.CI) {
  throw new Error(`CI needs Redis at ${TEST_REDIS_URL} for the multi-instance rate-limit tests`);
}
