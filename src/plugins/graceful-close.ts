/**
 * While the server closes, a request that was already in flight on a keep-alive connection must
 * also end that connection; otherwise the idle socket keeps `close()` waiting for the keep-alive
 * timeout (72 s). Fastify marks only requests that arrive after closing began.
 */
import fp from 'fastify-plugin';

export default fp(
  async (fastify) => {
    let closing = false;
    fastify.addHook('preClose', async () => {
      closing = true;
    });
    fastify.addHook('onSend', async (_request, reply) => {
      if (closing) reply.header('connection', 'close');
    });
  },
  { name: 'graceful-close' },
);
