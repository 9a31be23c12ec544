// Write-ahead log: commit records appended to numbered segment files opened with O_DSYNC, so a
// record is durable when its write returns. One write is in flight at a time; records appended
// meanwhile go out together in the next one (group commit: many commits, one device flush). Each
// record is framed as length u32 LE, CRC-32 u32 LE, payload; replay stops at the first record that
// is torn or fails its checksum (nothing after it was acknowledged: commits finish in log order).
import fs from 'node:fs';
import nodePath from 'node:path';
import zlib from 'node:zlib';

const SEGMENT_PATTERN = /^wal-(\d{10})\.log$/;
const FRAME_BYTES = 8;
const OPEN_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND | fs.constants.O_DSYNC;

interface Waiter { resolve: () => void; reject: (e: unknown) => void }

export function segmentName(n: number): string {
  return `wal-${String(n).padStart(10, '0')}.log`;
}

/** Segment numbers present in dir, ascending. */
export function listSegments(dir: string): number[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .map((f) => SEGMENT_PATTERN.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/**
 * The payloads of every intact record in segments numbered >= from, in log order. Stops at the
 * first torn or corrupt record.
 */
export function* replaySegments(dir: string, from: number): Generator<Buffer> {
  for (const n of listSegments(dir)) {
    if (n < from) continue;
    const bytes = fs.readFileSync(nodePath.join(dir, segmentName(n)));
    let pos = 0;
    while (pos < bytes.length) {
      if (pos + FRAME_BYTES > bytes.length) return;
      const len = bytes.readUInt32LE(pos);
      const crc = bytes.readUInt32LE(pos + 4);
      const end = pos + FRAME_BYTES + len;
      if (end > bytes.length) return;
      const payload = bytes.subarray(pos + FRAME_BYTES, end);
      if (zlib.crc32(payload) !== crc) return;
      yield payload;
      pos = end;
    }
  }
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

export class Wal {
  private fd: number;
  private segment: number;
  private queue: Uint8Array[] = [];
  private waiters: Waiter[] = [];
  private writing = false;
  /** A segment fd replaced by rotate while a write to it was in flight (closed when it ends). */
  private retiredFd: number | undefined;
  private failure: unknown;
  private idle: Array<() => void> = [];
  /** Bytes appended to the current segment. */
  segmentBytes = 0;
  /** Called as each write starts, with the records appended since the previous one in it. */
  onGroup: (() => void) | undefined;

  private constructor(private readonly dir: string, segment: number) {
    this.segment = segment;
    this.fd = Wal.create(dir, segment);
  }

  /** Starts logging into a new segment numbered segment (dir is created if missing). */
  static open(dir: string, segment: number): Wal {
    fs.mkdirSync(dir, { recursive: true });
    return new Wal(dir, segment);
  }

  private static create(dir: string, segment: number): number {
    const fd = fs.openSync(nodePath.join(dir, segmentName(segment)), OPEN_FLAGS, 0o600);
    syncDir(dir);
    return fd;
  }

  get currentSegment(): number { return this.segment; }

  /** Appends one record made of parts (not copied: they must not change until it resolves); resolves once durable. */
  append(parts: readonly Uint8Array[]): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    let len = 0, crc = 0;
    for (const p of parts) { len += p.length; crc = zlib.crc32(p, crc); }
    const frame = Buffer.allocUnsafe(FRAME_BYTES);
    frame.writeUInt32LE(len, 0);
    frame.writeUInt32LE(crc, 4);
    this.queue.push(frame, ...parts);
    this.segmentBytes += FRAME_BYTES + len;
    const done = new Promise<void>((resolve, reject) => { this.waiters.push({ resolve, reject }); });
    if (!this.writing) this.writeQueued();
    return done;
  }

  private writeQueued(): void {
    const buffers = this.queue, waiters = this.waiters;
    this.queue = [];
    this.waiters = [];
    this.writing = true;
    this.onGroup?.();
    const total = buffers.reduce((n, b) => n + b.length, 0);
    fs.writev(this.fd, buffers as NodeJS.ArrayBufferView[], (err, written) => {
      this.writing = false;
      if (this.retiredFd !== undefined) { fs.close(this.retiredFd, () => undefined); this.retiredFd = undefined; }
      const error = err ?? (written === total ? undefined : new Error(`write-ahead log: short write (${written} of ${total} bytes)`));
      if (error !== undefined) {
        // The log can no longer promise durability: every later append fails too.
        this.failure = error;
        for (const w of [...waiters, ...this.waiters]) w.reject(error);
        this.waiters = [];
        this.queue = [];
      } else {
        for (const w of waiters) w.resolve();
        if (this.queue.length > 0) { this.writeQueued(); return; }
      }
      const idle = this.idle;
      this.idle = [];
      for (const r of idle) r();
    });
  }

  /** Later appends go to a new segment; returns its number. */
  rotate(): number {
    const next = this.segment + 1;
    const fd = Wal.create(this.dir, next);
    if (this.writing) this.retiredFd = this.fd; else fs.closeSync(this.fd);
    this.fd = fd;
    this.segment = next;
    this.segmentBytes = 0;
    return next;
  }

  /** Deletes the segments numbered below n. */
  removeBelow(n: number): void {
    let removed = false;
    for (const s of listSegments(this.dir)) {
      if (s >= n) break;
      fs.rmSync(nodePath.join(this.dir, segmentName(s)), { force: true });
      removed = true;
    }
    if (removed) syncDir(this.dir);
  }

  /** Resolves when no write is in flight or queued. */
  drained(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  async close(): Promise<void> {
    await this.drained();
    fs.closeSync(this.fd);
  }
}
