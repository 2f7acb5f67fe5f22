/** Log lines an app writes, kept in memory: give `stream` to its logger, read `lines`. */
import { Writable } from 'node:stream';

export function logCapture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { stream, lines };
}
