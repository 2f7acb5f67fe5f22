/**
 * Transactions over the pool: `inTransaction(pool, async (tx) => …)` runs the callback on one
 * connection between BEGIN and COMMIT, and rolls back if it throws. Repository methods that take part
 * in a caller's transaction accept a `Queryable` (the pool by default, or `tx`).
 */
import fp from 'fastify-plugin';
import type pg from 'pg';

/** The pool, or the client of a transaction. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

export async function inTransaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let usable = true;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is dropped rather than reused.
    usable = await client.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    throw error;
  } finally {
    client.release(!usable);
  }
}

/** `fastify.transactions.run(async (tx) => …)`: a transaction for services that write through several repositories. */
export class Transactions {
  constructor(private readonly pool: pg.Pool) {}

  run<T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    transactions: Transactions;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('transactions', new Transactions(fastify.pg));
  },
  { name: 'transactions', dependencies: ['database'] },
);
