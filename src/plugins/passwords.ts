/** `fastify.passwords`: bcrypt on worker threads (src/auth/passwords.ts), stopped with the app. */
import fp from 'fastify-plugin';
import { createPasswordHasher, type PasswordHasher } from '../auth/passwords.js';

declare module 'fastify' {
  interface FastifyInstance {
    passwords: PasswordHasher;
  }
}

export default fp<{ rounds: number }>(
  async (fastify, { rounds }) => {
    const passwords = createPasswordHasher({ rounds });
    fastify.decorate('passwords', passwords);
    fastify.addHook('onClose', () => passwords.close());
  },
  { name: 'passwords' },
);
