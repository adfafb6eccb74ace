import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now, for a process a test or bench starts itself. */
export const freePort = (): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
