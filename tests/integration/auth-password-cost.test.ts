/**
 * BCRYPT_ROUNDS changes: the dummy hash (compared when the email is unknown) is built at start at
 * the configured cost, and a stored hash of a lower cost is upgraded at the next successful login.
 * No timing assertions: what makes the timings equal is that both hashes have the same cost.
 */
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.js';
import { signUp } from '../helpers/factories.js';

const ROUNDS = 5;
const costOf = (hash: string) => Number(/^\$2[abxy]?\$(\d\d)\$/.exec(hash)?.[1]);

describe('BCRYPT_ROUNDS raised since passwords were stored', () => {
  const ctx = useTestApp({ bcryptRounds: ROUNDS });

  const login = (email: string, password: string) => ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
  /** A user whose stored hash was made at cost 4, before BCRYPT_ROUNDS was raised. */
  const userWithCost4Hash = async () => {
    const account = await signUp(ctx.app);
    const oldHash = bcrypt.hashSync(account.password, 4);
    await ctx.app.prisma.user.update({ where: { id: account.user.id }, data: { password: oldHash } });
    return { ...account, oldHash };
  };
  const storedHash = async (userId: string) => (await ctx.app.prisma.user.findUniqueOrThrow({ where: { id: userId } })).password;

  it('has the dummy hash ready at start, at BCRYPT_ROUNDS, before any login', () => {
    expect(costOf(ctx.app.accountService.dummyHash)).toBe(ROUNDS);
  });

  it('upgrades a lower-cost hash at a successful login, and the password still works', async () => {
    const account = await userWithCost4Hash();
    expect((await login(account.email, account.password)).statusCode).toBe(200);
    const upgraded = await storedHash(account.user.id);
    expect(costOf(upgraded)).toBe(ROUNDS);
    expect(bcrypt.compareSync(account.password, upgraded)).toBe(true);
    expect((await login(account.email, account.password)).statusCode).toBe(200);
  });

  it('leaves the hash alone after a failed login', async () => {
    const account = await userWithCost4Hash();
    expect((await login(account.email, 'wrong password')).statusCode).toBe(401);
    expect(await storedHash(account.user.id)).toBe(account.oldHash);
  });

  it('leaves a hash at the configured cost alone', async () => {
    const account = await signUp(ctx.app);
    const hash = await storedHash(account.user.id);
    expect((await login(account.email, account.password)).statusCode).toBe(200);
    expect(await storedHash(account.user.id)).toBe(hash);
  });
});
