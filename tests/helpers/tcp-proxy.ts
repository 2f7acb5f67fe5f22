/**
 * A TCP proxy between the app and PostgreSQL, so a test can take the database away (and bring it
 * back, or slow it down) without stopping the shared server.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The target URL with host and port replaced by the proxy's. */
  url: string;
  /** Drops every connection and resets new ones until restore(). */
  cut(): void;
  restore(): void;
  /** Holds each chunk from the database this long before passing it on. */
  setDelay(ms: number): void;
  /** Resolves when the app next sends something to the database. */
  nextQuery(): Promise<void>;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  /** Called once per connection; what it returns sees every chunk the app sends on that connection. */
  inspectClient?: () => (chunk: Buffer) => void;
}

export async function startTcpProxy(targetUrl: string, options: TcpProxyOptions = {}): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let isCut = false;
  let delayMs = 0;
  let queryWaiters: (() => void)[] = [];

  const server: Server = createServer((client) => {
    if (isCut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    const inspect = options.inspectClient?.();
    if (inspect) client.on('data', inspect);
    client.pipe(upstream);
    client.on('data', () => {
      const waiters = queryWaiters;
      queryWaiters = [];
      for (const notify of waiters) notify();
    });
    upstream.on('data', (chunk: Buffer) => {
      if (delayMs === 0) client.write(chunk);
      else setTimeout(() => client.write(chunk), delayMs);
    });
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);

  return {
    url: url.toString(),
    cut: () => {
      isCut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore: () => {
      isCut = false;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    nextQuery: () =>
      new Promise<void>((notify) => {
        queryWaiters.push(notify);
      }),
    close: () =>
      new Promise<void>((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  };
}
