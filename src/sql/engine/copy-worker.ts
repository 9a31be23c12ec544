// A bulk-load worker thread: turns blocks of the raw input of COPY FROM statements into encoded
// rows (copy-encode.ts) on another core while the main thread stores them. Each block is whole
// lines and is encoded on its own, so the blocks of one statement can be spread over several
// workers; a block stops at a line the encoder does not handle, which the statement reads itself.
import { parentPort } from 'node:worker_threads';
import { CopyEncoder } from './copy-encode.js';
import type { FromCopyWorker, ToCopyWorker } from './copy-pipeline.js';
import { warmUpEncoder } from './copy-warmup.js';

const jobs = new Map<number, CopyEncoder>();
const port = parentPort!;
/** Whether the common types' input paths were compiled (copy-warmup.ts), once, when first idle. */
let warmed = false;

port.on('message', (m: ToCopyWorker) => {
  switch (m.type) {
    case 'start':
      jobs.set(m.id, new CopyEncoder(m.spec));
      return;
    case 'block': {
      const encoder = jobs.get(m.id);
      if (encoder === undefined) return;
      let reply: FromCopyWorker;
      let transfer: ArrayBuffer[] = [];
      try {
        const block = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
        const rows = encoder.encode(block, m.offset === 0);
        reply = { type: 'rows', id: m.id, offset: m.offset, rows };
        transfer = [rows.keys.buffer, rows.keyEnds.buffer, rows.values.buffer, rows.valueEnds.buffer] as ArrayBuffer[];
      } catch (e) {
        reply = { type: 'failed', id: m.id, offset: m.offset, message: e instanceof Error ? e.message : String(e) };
      }
      port.postMessage(reply, transfer);
      return;
    }
    case 'end':
      jobs.delete(m.id);
      if (jobs.size === 0 && !warmed) {
        warmed = true;
        warmUpEncoder((next) => { setImmediate(next); });
      }
      return;
  }
});
