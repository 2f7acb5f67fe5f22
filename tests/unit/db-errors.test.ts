import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, isTransientConflict } from '../../src/db/errors.js';

/** An error as pg reports it: a message, and a socket error code or an SQLSTATE. */
const pgError = (message: string, code?: string) => Object.assign(new Error(message), code === undefined ? {} : { code });

describe('isDatabaseUnavailable, for errors of queries sent with pg directly', () => {
  it.each([
    ['a refused connection', pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', pgError('read ECONNRESET', 'ECONNRESET')],
    ['a server shutting down (SQLSTATE 57P01)', pgError('terminating connection due to administrator command', '57P01')],
    ['a connection failure (SQLSTATE 08006)', pgError('connection failure', '08006')],
    ['a dropped connection', pgError('Connection terminated unexpectedly')],
    ['a query timeout', pgError('Query read timeout')],
  ])('counts %s as unavailable (503)', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation (SQLSTATE 23505)', pgError('duplicate key value violates unique constraint', '23505')],
    ['a syntax error (SQLSTATE 42601)', pgError('syntax error at or near', '42601')],
    ['a programming error', new TypeError('Cannot read properties of undefined')],
  ])('does not count %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('isTransientConflict', () => {
  it.each([
    ['a deadlock PostgreSQL broke (SQLSTATE 40P01)', pgError('deadlock detected', '40P01')],
    ['a serialization failure (SQLSTATE 40001)', pgError('could not serialize access', '40001')],
    ['a lock timeout (SQLSTATE 55P03)', pgError('canceling statement due to lock timeout', '55P03')],
    [
      'a deadlock in a raw query through Prisma (its adapter error, the SQLSTATE in its cause)',
      Object.assign(new Error('deadlock detected'), { name: 'DriverAdapterError', cause: { kind: 'postgres', code: '40P01' } }),
    ],
  ])('counts %s as a lost race (503, retry)', (_what, error) => {
    expect(isTransientConflict(error)).toBe(true);
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it.each([
    ['a unique violation (SQLSTATE 23505)', pgError('duplicate key value violates unique constraint', '23505')],
    ['a refused connection', pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['no error at all', null],
  ])('does not count %s', (_what, error) => {
    expect(isTransientConflict(error)).toBe(false);
  });
});
