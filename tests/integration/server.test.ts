import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runProcess } from '../helpers/run-process.js';
import { startServerProcess, stopLeftoverServers } from '../helpers/server-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

describe('the server process', () => {
  // A failed assertion must not leave a server (and its embedded database) running.
  afterEach(stopLeftoverServers);

  describe('with no DATABASE_URL (the embedded default)', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'habit-tracker-embedded-'));
    });
    afterAll(() => {
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('starts PostgreSQL, applies the migrations, answers, and stops it on SIGTERM', async () => {
      const server = startServerProcess({ EMBEDDED_DATA_DIR: dataDir });
      const baseUrl = await server.waitForListening();
      expect(server.output()).toMatch(/Embedded PostgreSQL ready in \d+ ms \(data in .+, [1-9]\d* migration\(s\) applied\)/);

      const response = await fetch(`${baseUrl}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });

      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
      // PostgreSQL removes its lock file when it shuts down cleanly.
      expect(existsSync(join(dataDir, 'cluster', 'postmaster.pid'))).toBe(false);
    });

    it('reuses the data on the next start, with nothing left to migrate', async () => {
      const server = startServerProcess({ EMBEDDED_DATA_DIR: dataDir });
      const baseUrl = await server.waitForListening();
      expect(server.output()).toContain('0 migration(s) applied');
      expect((await fetch(`${baseUrl}/health`)).status).toBe(200);

      server.child.kill('SIGINT');
      expect(await server.exited).toEqual({ code: 0, signal: null });
    });

    it('lets a db:* script work on the running server’s database (npm run db:seed beside npm run dev)', async () => {
      const server = startServerProcess({ EMBEDDED_DATA_DIR: dataDir });
      const baseUrl = await server.waitForListening();

      const seed = await runProcess(process.execPath, ['--import', 'tsx', 'src/scripts/seed-demo.ts'], {
        EMBEDDED_DATA_DIR: dataDir,
        DATABASE_URL: '',
        NODE_ENV: 'development',
        BCRYPT_ROUNDS: '4',
      });
      expect(seed.code, seed.stderr).toBe(0);
      const login = await fetch(`${baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'demo@example.com', password: 'demo-password' }),
      });
      expect(login.status).toBe(200);
      // The script left the server's database running.
      expect((await fetch(`${baseUrl}/health`)).status).toBe(200);

      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 0, signal: null });
    });
  });

  describe('with DATABASE_URL', () => {
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

    it('on SIGTERM stops accepting connections, finishes in-flight requests, and exits 0', async () => {
      const server = startServerProcess({ DATABASE_URL: proxy.url });
      const baseUrl = await server.waitForListening();

      proxy.setDelay(300);
      const queryStarted = proxy.nextQuery();
      const inFlight = fetch(`${baseUrl}/health`);
      await queryStarted;

      server.child.kill('SIGTERM');
      await server.waitForOutput('SIGTERM: closing');
      await expect(fetch(`${baseUrl}/health`)).rejects.toThrow();

      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await server.exited).toEqual({ code: 0, signal: null });
      proxy.setDelay(0);
    });

    it('refuses to start against a database that lacks migrations, and says what to run', async () => {
      const empty = await createEmptyDatabase();
      try {
        const server = startServerProcess({ DATABASE_URL: empty.url });
        expect((await server.exited).code).toBe(1);
        expect(server.output()).toMatch(/missing migrations \d+_init, \d+_add_auth_support(, \d+_\w+)*: run `npm run db:deploy` first/);
      } finally {
        await empty.drop();
      }
    });
  });

  it('refuses to start in production with a weak secret, in one line naming the variable', async () => {
    const server = startServerProcess({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none',
      JWT_SECRET: 'short',
    });
    expect((await server.exited).code).toBe(1);
    expect(server.output()).toBe(
      'Could not start: Invalid environment variable JWT_SECRET: must be at least 32 characters in production\n',
    );
  });
});
