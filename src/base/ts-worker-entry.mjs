// Starts a worker thread on a TypeScript module when the code runs from source (tests through
// tsx): Node 20 does not carry tsx's loader into worker threads, so the worker registers it
// itself, then imports the module named in workerData.module. Built code (dist/) never uses this.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
