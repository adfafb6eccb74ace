import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting, lets in-flight requests finish, then closes idle keep-alive sockets. */
  close(): Promise<void>;
}

/** Listens on `port` (0 picks a free one, as tests do) and resolves once bound. */
export function listen(app: Express, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: bound,
        url: `http://${host}:${bound}`,
        close: () =>
          new Promise<void>((res, rej) => {
            // Keep-alive sockets that finish a request while we drain become idle later: sweep
            // them until the server has closed, instead of waiting for their timeout.
            const sweep = setInterval(() => server.closeIdleConnections(), 100);
            server.close((err) => {
              clearInterval(sweep);
              if (err) rej(err);
              else res();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
