// The bulk-load worker thread: turns the raw input of COPY FROM statements into encoded rows
// (copy-encode.ts) on the second core while the main thread stores them. One job per statement,
// served in message order; a job that stops (a line it does not handle) ignores the rest of its
// input, which the statement reads itself.
import { parentPort } from 'node:worker_threads';
import { CopyEncoder } from './copy-encode.js';
import type { FromCopyWorker, ToCopyWorker } from './copy-pipeline.js';

interface Job {
  encoder: CopyEncoder;
  /** Input after the last complete line, carried into the next block. */
  carry: Buffer;
  /** Stream offset of carry's first byte. */
  offset: number;
  stopped: boolean;
}

const jobs = new Map<number, Job>();
const port = parentPort!;

function reply(m: FromCopyWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

port.on('message', (m: ToCopyWorker) => {
  try {
    switch (m.type) {
      case 'start':
        jobs.set(m.id, { encoder: new CopyEncoder(m.spec), carry: Buffer.alloc(0), offset: 0, stopped: false });
        return;
      case 'data': {
        const job = jobs.get(m.id);
        if (job === undefined || job.stopped) return;
        const chunk = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
        const block = job.carry.length === 0 ? chunk : Buffer.concat([job.carry, chunk]);
        const rows = job.encoder.encode(block);
        reply({ type: 'rows', id: m.id, offset: job.offset, rows },
          [rows.keys.buffer, rows.keyEnds.buffer, rows.values.buffer, rows.valueEnds.buffer] as ArrayBuffer[]);
        job.offset += rows.consumed;
        job.carry = block.subarray(rows.consumed);
        job.stopped = rows.stopped;
        return;
      }
      case 'end': {
        const job = jobs.get(m.id);
        jobs.delete(m.id);
        if (job !== undefined) reply({ type: 'end', id: m.id, offset: job.offset });
        return;
      }
    }
  } catch (e) {
    jobs.delete(m.id);
    reply({ type: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) });
  }
});
