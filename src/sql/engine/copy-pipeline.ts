// The main-thread side of bulk loads on two cores: a COPY FROM statement hands its raw input to
// the bulk-load worker (copy-worker.ts, one per process, started at the first use) and stores the
// encoded rows that come back, in input order. It keeps the input the worker has not accounted
// for yet, so that when the worker stops at a line it does not handle, the statement reads on
// from that line itself. Unavailable (the statement reads everything itself) when the worker
// cannot start.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../base/index.js';
import type { CopyEncodeSpec, EncodedRows } from './copy-encode.js';

export type ToCopyWorker =
  | { type: 'start'; id: number; spec: CopyEncodeSpec }
  | { type: 'data'; id: number; bytes: Uint8Array }
  | { type: 'end'; id: number };

export type FromCopyWorker =
  /** Rows of the whole lines from stream offset on (rows.consumed bytes of them). */
  | { type: 'rows'; id: number; offset: number; rows: EncodedRows }
  /** The job is over; the input from offset on was not read (a stop, or a last line with no newline). */
  | { type: 'end'; id: number; offset: number }
  | { type: 'failed'; id: number; message: string };

/** Input is posted in blocks of at least this many bytes (fewer, larger messages). */
const POST_BYTES = 128 << 10;
/** Posted input not yet answered beyond which the statement waits for the worker. */
const MAX_IN_FLIGHT = 32 << 20;

let worker: Worker | null | undefined;
let nextId = 1;
const pipelines = new Map<number, CopyPipeline>();

function copyWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    const w = startWorker(new URL(`./copy-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
    w.on('message', (m: FromCopyWorker) => pipelines.get(m.id)?.deliver(m));
    w.on('error', (e) => {
      console.error('bulk-load worker failed', e);
      worker = null;
      for (const [id, p] of pipelines) p.deliver({ type: 'failed', id, message: String(e) });
    });
    w.unref();
    worker = w;
  } catch (e) {
    console.error('bulk-load worker did not start', e);
    worker = null;
  }
  return worker;
}

export class CopyPipeline {
  private readonly inbox: FromCopyWorker[] = [];
  private wake: (() => void) | undefined;
  /** Input kept from stream offset keptFrom on (chunks in order). */
  private kept: Buffer[] = [];
  private keptFrom = 0;
  private keptBytes = 0;
  /** Input not posted yet (gathered into one block). */
  private unsent: Buffer[] = [];
  private unsentBytes = 0;
  private posted = 0;
  /** Stream offset up to which the worker answered. */
  private answered = 0;
  private closed = false;

  private constructor(private readonly id: number, private readonly w: Worker) {}

  /** A pipeline for one statement, or undefined when the worker is unavailable. */
  static open(spec: CopyEncodeSpec): CopyPipeline | undefined {
    const w = copyWorker();
    if (w === null) return undefined;
    const p = new CopyPipeline(nextId++, w);
    pipelines.set(p.id, p);
    if (pipelines.size === 1) w.ref();
    w.postMessage({ type: 'start', id: p.id, spec } satisfies ToCopyWorker);
    return p;
  }

  /** @internal (the worker's message handler) */
  deliver(m: FromCopyWorker): void {
    this.inbox.push(m);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Takes a chunk of input (copied). */
  push(chunk: Uint8Array): void {
    const own = Buffer.from(chunk);
    this.kept.push(own);
    this.keptBytes += own.length;
    this.unsent.push(own);
    this.unsentBytes += own.length;
    if (this.unsentBytes >= POST_BYTES) this.post();
  }

  private post(): void {
    if (this.unsentBytes === 0) return;
    const bytes = this.unsent.length === 1 ? this.unsent[0]! : Buffer.concat(this.unsent, this.unsentBytes);
    this.w.postMessage({ type: 'data', id: this.id, bytes } satisfies ToCopyWorker);
    this.posted += this.unsentBytes;
    this.unsent = [];
    this.unsentBytes = 0;
  }

  /** No more input. */
  finish(): void {
    this.post();
    this.w.postMessage({ type: 'end', id: this.id } satisfies ToCopyWorker);
  }

  /**
   * The next answer: at once if one is there; else, when wait is set or too much input is
   * unanswered, the next to arrive; else undefined.
   */
  async next(wait: boolean): Promise<FromCopyWorker | undefined> {
    for (;;) {
      const m = this.inbox.shift();
      if (m !== undefined) {
        if (m.type === 'rows') this.answered = m.offset + m.rows.consumed;
        return m;
      }
      if (!wait && this.posted - this.answered <= MAX_IN_FLIGHT) return undefined;
      await new Promise<void>((r) => { this.wake = r; });
    }
  }

  /** Forgets kept input below stream offset. */
  release(offset: number): void {
    while (this.kept.length > 0 && this.keptFrom + this.kept[0]!.length <= offset) {
      this.keptFrom += this.kept[0]!.length;
      this.keptBytes -= this.kept[0]!.length;
      this.kept.shift();
    }
  }

  /** The kept input from stream offset on. */
  bytesFrom(offset: number): Buffer {
    this.release(offset);
    const all = Buffer.concat(this.kept, this.keptBytes);
    return all.subarray(offset - this.keptFrom);
  }

  /** The text of the n-th line (0-based) starting at stream offset (for error contexts). */
  lineText(offset: number, n: number): string {
    const b = this.bytesFrom(offset);
    let start = 0;
    for (let i = 0; i < n; i++) start = b.indexOf(10, start) + 1;
    const end = b.indexOf(10, start);
    return b.toString('utf8', start, end < 0 ? b.length : end);
  }

  /** Ends the job (the worker drops whatever it still has of it). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    pipelines.delete(this.id);
    if (worker !== null && worker !== undefined) {
      this.w.postMessage({ type: 'end', id: this.id } satisfies ToCopyWorker);
      if (pipelines.size === 0) this.w.unref();
    }
  }
}
