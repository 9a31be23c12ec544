// The write-ahead log's record of a WriteBatch: encodeBatch lays a batch out as a list of byte
// parts (packed runs are referenced where they lie, not copied), decodeBatch reads one back as a
// plain batch (packed entries become puts). Little-endian lengths; the log frames and checksums
// each record.
import { PACKED_FIELDS, type PackedPuts } from './packed-puts.js';
import type { WriteBatch } from './store.js';

const RECORD_VERSION = 1;
/** version u8, commitTs u64, puts u32, deletes u32, drop ranges u32, packed runs u32 */
const HEAD_BYTES = 1 + 8 + 4 * 4;

class Writer {
  readonly buf: Buffer;
  pos = 0;
  constructor(size: number) { this.buf = Buffer.allocUnsafe(size); }
  u8(v: number): void { this.buf[this.pos++] = v; }
  u32(v: number): void { this.buf.writeUInt32LE(v, this.pos); this.pos += 4; }
  u64(v: bigint): void { this.buf.writeBigUInt64LE(v, this.pos); this.pos += 8; }
  bytes(b: Uint8Array): void { this.u32(b.length); this.buf.set(b, this.pos); this.pos += b.length; }
}

/** The batch as byte parts whose concatenation decodeBatch reads back. Parts may view the batch's own buffers. */
export function encodeBatch(batch: WriteBatch): Uint8Array[] {
  const drops = batch.dropRanges ?? [];
  const packed = batch.packed ?? [];
  let size = HEAD_BYTES;
  for (const [k, v] of batch.puts) size += 8 + k.length + v.length;
  for (const k of batch.deletes) size += 4 + k.length;
  for (const [s, e] of drops) size += 8 + s.length + e.length;
  const w = new Writer(size);
  w.u8(RECORD_VERSION);
  w.u64(batch.commitTs);
  w.u32(batch.puts.length);
  w.u32(batch.deletes.length);
  w.u32(drops.length);
  w.u32(packed.length);
  for (const [k, v] of batch.puts) { w.bytes(k); w.bytes(v); }
  for (const k of batch.deletes) w.bytes(k);
  for (const [s, e] of drops) { w.bytes(s); w.bytes(e); }
  const parts: Uint8Array[] = [w.buf];
  for (const run of packed) encodeRun(run, parts);
  return parts;
}

/** entries u32, chunks u32, shadow flag u8, chunk lengths u32 each; then meta, shadow mask, chunks. */
function encodeRun(run: PackedPuts, parts: Uint8Array[]): void {
  const chunks = run.chunkCount;
  const meta = run.rawMeta();
  const shadowed = run.rawShadowed();
  const head = new Writer(9 + 4 * chunks);
  head.u32(run.count);
  head.u32(chunks);
  head.u8(shadowed === undefined ? 0 : 1);
  const bodies: Buffer[] = [];
  for (let c = 0; c < chunks; c++) {
    const b = run.chunkBytes(c);
    head.u32(b.length);
    bodies.push(b);
  }
  parts.push(head.buf, new Uint8Array(meta.buffer, meta.byteOffset, meta.byteLength));
  if (shadowed !== undefined) parts.push(shadowed);
  for (const b of bodies) parts.push(b);
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  u8(): number { return this.buf[this.pos++]!; }
  u32(): number { const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  u64(): bigint { const v = this.buf.readBigUInt64LE(this.pos); this.pos += 8; return v; }
  take(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new Error('log record truncated');
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  bytes(): Buffer { return this.take(this.u32()); }
}

/** Reads a record written by encodeBatch (views into payload). Throws on a malformed record. */
export function decodeBatch(payload: Buffer): WriteBatch {
  const r = new Reader(payload);
  const version = r.u8();
  if (version !== RECORD_VERSION) throw new Error(`unknown log record version ${version}`);
  const commitTs = r.u64();
  const nPuts = r.u32(), nDeletes = r.u32(), nDrops = r.u32(), nRuns = r.u32();
  const puts: Array<[Uint8Array, Uint8Array]> = [];
  for (let i = 0; i < nPuts; i++) { const k = r.bytes(); puts.push([k, r.bytes()]); }
  const deletes: Uint8Array[] = [];
  for (let i = 0; i < nDeletes; i++) deletes.push(r.bytes());
  const dropRanges: Array<readonly [Uint8Array, Uint8Array]> = [];
  for (let i = 0; i < nDrops; i++) { const s = r.bytes(); dropRanges.push([s, r.bytes()]); }
  for (let run = 0; run < nRuns; run++) {
    const entries = r.u32(), nChunks = r.u32(), hasShadow = r.u8() === 1;
    const lengths: number[] = [];
    for (let c = 0; c < nChunks; c++) lengths.push(r.u32());
    // copied: the payload offset need not be 4-aligned
    const metaBytes = r.take(entries * PACKED_FIELDS * 4);
    const meta = new Int32Array(entries * PACKED_FIELDS);
    new Uint8Array(meta.buffer).set(metaBytes);
    const shadow = hasShadow ? r.take(entries) : undefined;
    const chunks = lengths.map((n) => r.take(n));
    for (let i = 0; i < entries; i++) {
      if (shadow !== undefined && shadow[i] === 1) continue;
      const o = i * PACKED_FIELDS;
      const chunk = chunks[meta[o]!];
      if (chunk === undefined) throw new Error('log record has a bad chunk index');
      const keyStart = meta[o + 1]!, valueStart = meta[o + 2]!, valueEnd = meta[o + 3]!;
      if (!(keyStart >= 0 && keyStart < valueStart && valueStart <= valueEnd && valueEnd <= chunk.length)) {
        throw new Error('log record has a bad packed entry');
      }
      puts.push([chunk.subarray(keyStart, valueStart - 1), chunk.subarray(valueStart, valueEnd)]);
    }
  }
  if (r.pos !== payload.length) throw new Error('log record has trailing bytes');
  const batch: WriteBatch = { commitTs, puts, deletes };
  if (dropRanges.length > 0) batch.dropRanges = dropRanges;
  return batch;
}
