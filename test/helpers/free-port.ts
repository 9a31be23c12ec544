// Free TCP port discovery for tests that start servers (QuiverDB, the PostgreSQL oracle).
// Asks the kernel for an ephemeral port on 127.0.0.1 and releases it; callers retry on a bind race.
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('freePort: unexpected address'));
        return;
      }
      const port = addr.port;
      srv.close(() => resolvePort(port));
    });
  });
}
