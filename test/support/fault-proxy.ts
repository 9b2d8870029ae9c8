import net from 'node:net';

/**
 * A TCP proxy on loopback in front of a server (PostgreSQL here) that a test can make slow
 * (every chunk held back in both directions) or cut (every open connection dropped at once).
 */
export interface FaultProxy {
  port: number;
  /** Holds every chunk this long before passing it on; 0 passes at once. */
  setDelay(ms: number): void;
  /** Drops every connection open now, as a network failure would. */
  cutAll(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  let delayMs = 0;
  const sockets = new Set<net.Socket>();
  const pipe = (from: net.Socket, to: net.Socket) => {
    // A chain keeps chunks in order while each waits out the delay.
    let chain = Promise.resolve();
    from.on('data', (chunk) => {
      const hold = delayMs;
      chain = chain.then(async () => {
        if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
        if (!to.destroyed) to.write(chunk);
      });
    });
    from.on('end', () => {
      void chain.then(() => to.end());
    });
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    setDelay(ms) {
      delayMs = ms;
    },
    cutAll() {
      for (const socket of sockets) socket.destroy();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
