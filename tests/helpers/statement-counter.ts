/** Counting SQL statements (the statement-count tests of /stats, /today and /reminders). */
import { startTcpProxy } from './tcp-proxy.js';

/**
 * Counts the SQL statements the app sends through a TCP proxy: Execute ('E', extended protocol) and
 * Query ('Q', simple protocol) messages from client to server.
 *
 * Client → server framing: the first message of a connection (the startup message, or an SSLRequest /
 * GSSENCRequest that precedes it) has no type byte: [int32 length incl. itself][int32 code]…; every
 * later message is [byte type][int32 length incl. itself][payload].
 */
export interface StatementCounter {
  url: string;
  readonly statements: number;
  reset(): void;
  close(): Promise<void>;
}

const SSL_REQUEST_CODE = 80_877_103;
const GSSENC_REQUEST_CODE = 80_877_104;

export async function startStatementCounter(targetUrl: string): Promise<StatementCounter> {
  let statements = 0;
  const countMessages = () => {
    let pending: Buffer = Buffer.alloc(0);
    let untyped = true;
    return (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (untyped) {
          if (pending.length < 8) break;
          const length = pending.readInt32BE(0);
          if (pending.length < length) break;
          const code = pending.readInt32BE(4);
          pending = pending.subarray(length);
          // An SSL or GSS encryption request is followed by the real (also untyped) startup message.
          if (code !== SSL_REQUEST_CODE && code !== GSSENC_REQUEST_CODE) untyped = false;
        } else {
          if (pending.length < 5) break;
          const length = pending.readInt32BE(1);
          if (pending.length < 1 + length) break;
          const type = String.fromCharCode(pending[0]!);
          if (type === 'E' || type === 'Q') statements += 1;
          pending = pending.subarray(1 + length);
        }
      }
    };
  };
  const proxy = await startTcpProxy(targetUrl, { inspectClient: countMessages });
  return {
    url: proxy.url,
    get statements() {
      return statements;
    },
    reset: () => {
      statements = 0;
    },
    close: () => proxy.close(),
  };
}
