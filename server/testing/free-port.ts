import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago and has nothing listening on it now: for a server
 * a test is about to start, or as a dead address (an SMTP server that is down).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
