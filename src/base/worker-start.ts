// Starting a worker thread on a module of this code base, whether it runs built (dist/, .js) or
// from TypeScript source (tests through tsx: see ts-worker-entry.mjs).
import { Worker } from 'node:worker_threads';

/** A worker running the module at moduleUrl (a .js or .ts URL from import.meta.url). */
export function startWorker(moduleUrl: URL): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl);
  return new Worker(new URL('./ts-worker-entry.mjs', import.meta.url), { workerData: { module: moduleUrl.href } });
}
