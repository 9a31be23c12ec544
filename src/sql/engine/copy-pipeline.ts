// The main-thread side of bulk loads on several cores: a COPY FROM statement cuts its raw input
// into blocks of whole lines and spreads them over the bulk-load workers (copy-worker.ts, a pool
// started at the first use), then stores the encoded rows that come back, in input order. It
// keeps the input not stored yet, so that when a block stops at a line the encoder does not
// handle, the statement reads on from that line itself. Unavailable (the statement reads
// everything itself) when the workers cannot start.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../base/index.js';
import type { CopyEncodeSpec, EncodedRows } from './copy-encode.js';

export type ToCopyWorker =
  | { type: 'start'; id: number; spec: CopyEncodeSpec }
  /** Whole lines of the input, from stream offset on. */
  | { type: 'block'; id: number; offset: number; bytes: Uint8Array }
  | { type: 'end'; id: number };

export type FromCopyWorker =
  /** Rows of the whole lines at the start of the block at stream offset (rows.consumed bytes of them). */
  | { type: 'rows'; id: number; offset: number; rows: EncodedRows }
  | { type: 'failed'; id: number; offset: number; message: string };

/** The answers a statement reads, in input order. */
export type CopyAnswer =
  | { type: 'rows'; offset: number; rows: EncodedRows }
  /** Every block is answered (after finish); the input from offset on was not posted: a last line with no newline. */
  | { type: 'end'; offset: number }
  /** The block at offset (or a worker) failed. */
  | { type: 'failed'; offset: number; message: string };

/** Input is posted in blocks of at least this many bytes (fewer, larger messages). */
const POST_BYTES = 128 << 10;
/** Posted input not yet answered beyond which the statement waits for the workers. */
const MAX_IN_FLIGHT = 32 << 20;
/** Workers in the pool: one per core, up to this many (the main thread stores ~4× faster than a worker encodes). */
const MAX_WORKERS = 4;

let pool: Worker[] | null | undefined;
let nextId = 1;
const pipelines = new Map<number, CopyPipeline>();

function copyWorkers(): Worker[] | null {
  if (pool !== undefined) return pool;
  const started: Worker[] = [];
  try {
    const size = Math.max(1, Math.min(MAX_WORKERS, availableParallelism()));
    for (let i = 0; i < size; i++) {
      const w = startWorker(new URL(`./copy-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
      started.push(w);
      w.on('message', (m: FromCopyWorker) => pipelines.get(m.id)?.deliver(m));
      w.on('error', (e) => { poolFailed(e); });
      w.unref();
    }
    pool = started;
  } catch (e) {
    console.error('bulk-load workers did not start', e);
    for (const w of started) void w.terminate();
    pool = null;
  }
  return pool;
}

/** A worker died: statements in progress read on by themselves, later ones do without workers. */
function poolFailed(e: unknown): void {
  if (pool === null) return;
  console.error('bulk-load worker failed', e);
  const workers = pool ?? [];
  pool = null;
  for (const w of workers) void w.terminate();
  for (const p of pipelines.values()) p.fail(String(e));
}

interface Block { offset: number; length: number }

export class CopyPipeline {
  /** Answers by block offset, until their turn comes. */
  private readonly answers = new Map<number, FromCopyWorker>();
  /** Blocks posted and not yet read back, in input order. */
  private readonly blocks: Block[] = [];
  private wake: (() => void) | undefined;
  /** Input kept from stream offset keptFrom on (chunks in order). */
  private kept: Buffer[] = [];
  private keptFrom = 0;
  private keptBytes = 0;
  /** Input not posted yet (gathered into one block). */
  private unsent: Buffer[] = [];
  private unsentBytes = 0;
  /** Unsent bytes from which the next block is cut (grows while a line is longer than that). */
  private postAt = POST_BYTES;
  /** Stream offset up to which input was posted, and up to which the answers were read. */
  private posted = 0;
  private answered = 0;
  private turn = 0;
  private finished = false;
  private failure: string | undefined;
  private closed = false;

  private constructor(private readonly id: number, private readonly workers: Worker[]) {}

  /** A pipeline for one statement, or undefined when the workers are unavailable. */
  static open(spec: CopyEncodeSpec): CopyPipeline | undefined {
    const workers = copyWorkers();
    if (workers === null) return undefined;
    const p = new CopyPipeline(nextId++, workers);
    pipelines.set(p.id, p);
    for (const w of workers) {
      if (pipelines.size === 1) w.ref();
      w.postMessage({ type: 'start', id: p.id, spec } satisfies ToCopyWorker);
    }
    return p;
  }

  /** @internal (the workers' message handler) */
  deliver(m: FromCopyWorker): void {
    this.answers.set(m.offset, m);
    this.wakeUp();
  }

  /** @internal (the pool lost a worker) */
  fail(message: string): void {
    this.failure = message;
    this.wakeUp();
  }

  private wakeUp(): void {
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
    if (this.unsentBytes >= this.postAt) this.post();
  }

  /** Posts the whole lines of the unsent input as one block, to the workers in turn. */
  private post(): void {
    if (this.unsentBytes === 0 || this.failure !== undefined) return;
    const all = this.unsent.length === 1 ? this.unsent[0]! : Buffer.concat(this.unsent, this.unsentBytes);
    const whole = all.lastIndexOf(10) + 1;
    if (whole === 0) {
      // no line end yet: gather more before looking again (a long line is not rescanned per chunk)
      this.unsent = [all];
      this.postAt = this.unsentBytes * 2;
      return;
    }
    const bytes = all.subarray(0, whole);
    const w = this.workers[this.turn++ % this.workers.length]!;
    w.postMessage({ type: 'block', id: this.id, offset: this.posted, bytes } satisfies ToCopyWorker);
    this.blocks.push({ offset: this.posted, length: whole });
    this.posted += whole;
    this.unsent = whole < all.length ? [all.subarray(whole)] : [];
    this.unsentBytes = all.length - whole;
    this.postAt = POST_BYTES;
  }

  /** No more input: the whole lines still unsent are posted. */
  finish(): void {
    this.post();
    this.finished = true;
  }

  /**
   * The next answer in input order: at once if it is there; else, when wait is set or too much
   * input is unanswered, when it arrives; else undefined. After finish, the last is 'end'.
   */
  async next(wait: boolean): Promise<CopyAnswer | undefined> {
    for (;;) {
      const head = this.blocks[0];
      if (head === undefined) {
        if (this.finished) return { type: 'end', offset: this.posted };
        if (!wait) return undefined;
      } else {
        const m = this.answers.get(head.offset);
        if (m !== undefined) {
          this.answers.delete(head.offset);
          this.blocks.shift();
          this.answered = head.offset + head.length;
          return m.type === 'rows' ? { type: 'rows', offset: m.offset, rows: m.rows } : { type: 'failed', offset: m.offset, message: m.message };
        }
        if (this.failure !== undefined) return { type: 'failed', offset: head.offset, message: this.failure };
        if (!wait && this.posted - this.answered <= MAX_IN_FLIGHT) return undefined;
      }
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

  /** Ends the job (the workers drop whatever they still have of it). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    pipelines.delete(this.id);
    if (pool === null) return;
    for (const w of this.workers) {
      w.postMessage({ type: 'end', id: this.id } satisfies ToCopyWorker);
      if (pipelines.size === 0) w.unref();
    }
  }
}
