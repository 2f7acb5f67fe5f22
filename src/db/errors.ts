/** Recognises the driver errors (Prisma's, and PostgreSQL's through `pg`) the code reacts to. */
import pg from 'pg';
import { Prisma } from './client.js';

const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'DatabaseDoesNotExist',
]);
// SQLSTATE classes 08 (connection exception) and 57P (operator intervention, e.g. a shutdown).
const UNAVAILABLE_SQLSTATE = /^(08|57P)/;
// pg's own errors for a dropped connection or a pool that cannot connect in time.
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Can't reach database server|not queryable/i;
// Socket errors, as pg reports them for queries sent without Prisma.
const UNAVAILABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface AdapterCause {
  kind?: string;
  code?: string;
  originalCode?: string;
}

function adapterCause(error: Prisma.PrismaClientKnownRequestError): AdapterCause | undefined {
  const adapterError = (error.meta as { driverAdapterError?: { cause?: AdapterCause } } | undefined)?.driverAdapterError;
  return adapterError?.cause;
}

/** The database is unavailable, so clients get 503, not 500. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (UNAVAILABLE_PRISMA_CODES.has(error.code)) return true;
    const cause = adapterCause(error);
    if (cause?.kind && UNAVAILABLE_ADAPTER_KINDS.has(cause.kind)) return true;
    const sqlState = cause?.code ?? cause?.originalCode;
    if (sqlState && UNAVAILABLE_SQLSTATE.test(sqlState)) return true;
    return UNAVAILABLE_MESSAGE.test(error.message);
  }
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientUnknownRequestError || error instanceof Prisma.PrismaClientRustPanicError) {
    return UNAVAILABLE_MESSAGE.test(error.message);
  }
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  return UNAVAILABLE_MESSAGE.test(error.message);
}

// Deadlock detected, serialization failure, lock not available: the statement did nothing, and the
// same write may succeed when sent again (two writers of one user's items can lock the change counter
// and an item's row in opposite orders: PostgreSQL then aborts one of them).
const TRANSIENT_SQLSTATES = new Set(['40P01', '40001', '55P03']);

/** The write lost a race with another (a deadlock PostgreSQL broke, a serialization failure): nothing was written; retrying may succeed. */
export function isTransientConflict(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2034') return true;
    const cause = adapterCause(error);
    const state = cause?.code ?? cause?.originalCode;
    return state !== undefined && TRANSIENT_SQLSTATES.has(state);
  }
  // pg's own error, or Prisma's adapter error unwrapped (a raw query's), whose cause carries the SQLSTATE.
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  return [code, cause?.code].some((state) => typeof state === 'string' && TRANSIENT_SQLSTATES.has(state));
}

/** A foreign key refused the write through Prisma (P2003): the row it refers to is gone (a habit deleted meanwhile). */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003';
}

/** The SQLSTATE of an error PostgreSQL answered a query sent with `pg` with (e.g. '23505'). */
const sqlState = (error: unknown): string | undefined => (error instanceof pg.DatabaseError ? error.code : undefined);

/** A unique constraint refused the write (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** SQL sent with `pg`: a unique constraint refused the write (SQLSTATE 23505). */
export function isSqlUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/** SQL sent with `pg`: a foreign key refused the write, the row it refers to is gone (SQLSTATE 23503). */
export function isSqlForeignKeyViolation(error: unknown): boolean {
  return sqlState(error) === '23503';
}

/** The row to update or delete does not exist (P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}
