import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

describe('GET /health', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy(database.url);
  });

  afterAll(async () => {
    await proxy.close();
    await database.drop();
  });

  it('answers 200 { status: "ok" } when the database answers', async () => {
    const app = await buildApp(testConfig(database.url));
    const response = await app.inject({ method: 'GET', url: '/health' });
    await app.close();

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 when nothing listens at the database address', async () => {
    const app = await buildApp(testConfig('postgresql://postgres@127.0.0.1:1/none'));
    const response = await app.inject({ method: 'GET', url: '/health' });
    await app.close();

    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Database unavailable' });
  });

  it('answers 503 while the database is gone, and 200 again once it is back', async () => {
    const app = await buildApp(testConfig(proxy.url));
    try {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);

      proxy.cut();
      const whileDown = await app.inject({ method: 'GET', url: '/health' });
      expect(whileDown.statusCode).toBe(503);
      expect(whileDown.headers['retry-after']).toBe('5');

      proxy.restore();
      const afterRecovery = await app.inject({ method: 'GET', url: '/health' });
      expect(afterRecovery.statusCode).toBe(200);
    } finally {
      proxy.restore();
      await app.close();
    }
  });

  it('answers 503 within its timeout when the database stops answering', async () => {
    const app = await buildApp(testConfig(proxy.url));
    try {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      proxy.setDelay(10_000);
      const startedAt = Date.now();
      const response = await app.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(503);
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    } finally {
      proxy.setDelay(0);
      proxy.cut();
      proxy.restore();
      await app.close();
    }
  });
});
