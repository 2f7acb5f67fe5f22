/**
 * The login throttle (API.md, "Passwords and sign-in protection"), through HTTP on a real database.
 * Clients are told apart by X-Forwarded-For (TRUST_PROXY=true). No test waits for a delay to pass:
 * `elapse` moves the stored ends of the waits into the past, as time would.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { signUp, uniqueEmail } from '../helpers/factories.js';

const FREE_ATTEMPTS = 5;
const WRONG = 'wrong password';

describe('the login throttle', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp(testConfig(database.url, { trustProxy: true, loginThrottleFreeAttempts: FREE_ATTEMPTS }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const attempt = (email: string, password: string, ip: string, on = app) =>
    on.inject({ method: 'POST', url: '/auth/login', headers: { 'x-forwarded-for': ip }, payload: { email, password } });

  /** Lets every wait of `email` pass (the longest is 15 minutes). */
  const elapse = async (email: string, on = app) => {
    await on.pg.query(`UPDATE "LoginThrottle" SET "blockedUntil" = "blockedUntil" - interval '1 hour' WHERE email = $1`, [email]);
  };

  /** `count` failed attempts from `ip`, each answered 401. */
  const fail = async (email: string, ip: string, count = FREE_ATTEMPTS, on = app) => {
    for (let i = 0; i < count; i++) expect((await attempt(email, WRONG, ip, on)).statusCode).toBe(401);
  };

  /** A 429 telling the client to wait `seconds` (or one less, had the machine stalled for a second since the failure). */
  const expectWait = (response: LightMyRequestResponse, seconds: number) => {
    expect(response.statusCode).toBe(429);
    expect(response.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^Too many requests: retry in \d+ s$/),
    });
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeLessThanOrEqual(seconds);
    expect(retryAfter).toBeGreaterThanOrEqual(Math.max(1, seconds - 1));
  };

  it('lets one client guess freely 5 times, then makes it wait 2, 4, 8 … s, at most 15 minutes', async () => {
    const { email } = await signUp(app);
    await fail(email, '203.0.113.1');
    for (const seconds of [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]) {
      expectWait(await attempt(email, WRONG, '203.0.113.1'), seconds);
      await elapse(email);
      expect((await attempt(email, WRONG, '203.0.113.1')).statusCode).toBe(401);
    }
  });

  it('holds many clients together to one guess per 5 s on one email: waits of 1, 2, 4, 5, 5 s', async () => {
    const { email } = await signUp(app);
    // Case and spaces do not make it another email.
    for (let i = 0; i < FREE_ATTEMPTS; i++)
      expect((await attempt(i % 2 ? ` ${email.toUpperCase()}` : email, WRONG, `198.51.100.${i}`)).statusCode).toBe(401);
    let client = 100;
    for (const seconds of [1, 2, 4, 5, 5]) {
      expectWait(await attempt(email, WRONG, `198.51.100.${client++}`), seconds);
      await elapse(email);
      expect((await attempt(email, WRONG, `198.51.100.${client++}`)).statusCode).toBe(401);
    }
  });

  it('delays the owner by at most 5 s, however many failures strangers cause from other IPs', async () => {
    const owner = await signUp(app);
    for (let i = 0; i < 20; i++) {
      await elapse(owner.email);
      expect((await attempt(` ${owner.email.toUpperCase()}`, WRONG, `192.0.2.${i % 3}`)).statusCode).toBe(401);
    }

    const first = await attempt(owner.email, owner.password, '203.0.113.77');
    if (first.statusCode === 429) {
      expect(Number(first.headers['retry-after'])).toBeLessThanOrEqual(5);
      await elapse(owner.email);
      expect((await attempt(owner.email, owner.password, '203.0.113.77')).statusCode).toBe(200);
    } else {
      expect(first.statusCode).toBe(200);
    }
  });

  it('answers a throttled attempt without checking its password, and does not count it', async () => {
    const account = await signUp(app);
    await fail(account.email, '203.0.113.2');
    // The right password changes nothing while the client must wait: no tokens, no reset.
    expectWait(await attempt(account.email, account.password, '203.0.113.2'), 2);
    expectWait(await attempt(account.email, account.password, '203.0.113.2'), 2);
    await elapse(account.email);
    expect((await attempt(account.email, WRONG, '203.0.113.2')).statusCode).toBe(401);
    // The 6th failure: the two refused attempts did not count (else this would be 16 s).
    expectWait(await attempt(account.email, WRONG, '203.0.113.2'), 4);
  });

  it('resets the counts when a sign-in issues tokens', async () => {
    const account = await signUp(app);
    await fail(account.email, '203.0.113.3');
    await elapse(account.email);
    expect((await attempt(account.email, account.password, '203.0.113.3')).statusCode).toBe(200);

    await fail(account.email, '203.0.113.3');
    expectWait(await attempt(account.email, WRONG, '203.0.113.3'), 2);
  });

  it('throttles an unknown email exactly as a known one', async () => {
    const known = (await signUp(app)).email;
    const unknown = uniqueEmail('nobody');
    await fail(known, '203.0.113.4');
    await fail(unknown, '203.0.113.4');

    const [forKnown, forUnknown] = [await attempt(known, WRONG, '203.0.113.4'), await attempt(unknown, WRONG, '203.0.113.4')];
    expectWait(forKnown, 2);
    expect(forUnknown.statusCode).toBe(forKnown.statusCode);
    expect(forUnknown.headers['retry-after']).toBe(forKnown.headers['retry-after']);
    expect(forUnknown.body).toBe(forKnown.body);
  });

  it('lets no burst of concurrent guesses slip past the free attempts', async () => {
    const { email } = await signUp(app);
    const responses = await Promise.all(Array.from({ length: 20 }, () => attempt(email, WRONG, '203.0.113.5')));
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([...Array<number>(FREE_ATTEMPTS).fill(401), ...Array<number>(20 - FREE_ATTEMPTS).fill(429)]);
  });

  it('starts again from zero a day after the last failure', async () => {
    const { email } = await signUp(app);
    await fail(email, '203.0.113.6');
    expectWait(await attempt(email, WRONG, '203.0.113.6'), 2);
    await app.pg.query(
      `UPDATE "LoginThrottle" SET "updatedAt" = "updatedAt" - interval '25 hours', "blockedUntil" = "blockedUntil" - interval '25 hours' WHERE email = $1`,
      [email],
    );
    await fail(email, '203.0.113.6');
    expectWait(await attempt(email, WRONG, '203.0.113.6'), 2);
  });

  it('remembers a count however many other emails fail meanwhile (10,000)', async () => {
    const victim = await signUp(app);
    await fail(victim.email, '203.0.113.7');
    expectWait(await attempt(victim.email, WRONG, '203.0.113.7'), 2);

    const OTHERS = 10_000;
    const CONCURRENCY = 50;
    const startedAt = performance.now();
    for (let batch = 0; batch < OTHERS / CONCURRENCY; batch++) {
      const responses = await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, i) => attempt(`other-${batch}-${i}-${victim.email}`, WRONG, `10.9.${batch % 200}.${i}`)),
      );
      for (const response of responses) expect(response.statusCode).toBe(401);
    }
    console.log(`${OTHERS} failed logins of other emails in ${Math.round(performance.now() - startedAt)} ms`);

    await elapse(victim.email);
    expect((await attempt(victim.email, WRONG, '203.0.113.7')).statusCode).toBe(401);
    // The 6th failure, not a first one.
    expectWait(await attempt(victim.email, WRONG, '203.0.113.7'), 4);
  });

  describe('on a database connection whose TimeZone is not UTC', () => {
    let kiritimati: FastifyInstance;
    beforeAll(async () => {
      const url = `${database.url}?options=${encodeURIComponent('-c TimeZone=Pacific/Kiritimati')}`;
      kiritimati = await buildApp(testConfig(url, { trustProxy: true, loginThrottleFreeAttempts: FREE_ATTEMPTS }));
      await kiritimati.ready();
    });
    afterAll(async () => {
      await kiritimati.close();
    });

    it('writes and reads the waits in UTC', async () => {
      const { email } = await signUp(kiritimati);
      await fail(email, '203.0.113.8', FREE_ATTEMPTS, kiritimati);
      expectWait(await attempt(email, WRONG, '203.0.113.8', kiritimati), 2);
      await elapse(email, kiritimati);
      expect((await attempt(email, WRONG, '203.0.113.8', kiritimati)).statusCode).toBe(401);
    });
  });
});
