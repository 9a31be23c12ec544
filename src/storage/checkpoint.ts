// Checkpoints of the LMDB file, which is written without syncing at commit (the write-ahead log
// makes commits durable). A checkpoint syncs data.mdb and saves a copy of its two meta pages,
// the only pages LMDB overwrites in place; the store keeps a read transaction open on the
// checkpointed snapshot until the next checkpoint, so LMDB reuses none of that snapshot's pages.
// After a crash (even of the operating system, with any subset of later writes lost), putting the
// saved meta pages back yields exactly the checkpointed state, and the log from the recorded
// segment on brings it up to date. Also the data directory's lock file.
import fs from 'node:fs';
import nodePath from 'node:path';
import zlib from 'node:zlib';

const CHECKPOINT_FILE = 'checkpoint';
const MAGIC = Buffer.from('QVCKPT01');
/** magic, segment u32, page size u32, then 2 meta pages, then CRC-32 u32 of all before it */
const HEAD_BYTES = MAGIC.length + 8;

export interface Checkpoint {
  /** The first log segment to replay on top of the checkpointed state. */
  segment: number;
  pageSize: number;
  /** LMDB's meta pages 0 and 1 as they were on disk after the checkpoint's sync. */
  metas: Buffer;
}

export function readCheckpoint(dir: string): Checkpoint | undefined {
  const path = nodePath.join(dir, CHECKPOINT_FILE);
  if (!fs.existsSync(path)) return undefined;
  const b = fs.readFileSync(path);
  if (b.length < HEAD_BYTES + 4 || !b.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`${path} is not a QuiverDB checkpoint`);
  if (zlib.crc32(b.subarray(0, b.length - 4)) !== b.readUInt32LE(b.length - 4)) throw new Error(`${path} fails its checksum`);
  const segment = b.readUInt32LE(MAGIC.length);
  const pageSize = b.readUInt32LE(MAGIC.length + 4);
  const metas = b.subarray(HEAD_BYTES, b.length - 4);
  if (metas.length !== 2 * pageSize) throw new Error(`${path} has a bad length`);
  return { segment, pageSize, metas };
}

function encodeCheckpoint(c: Checkpoint): Buffer {
  const body = Buffer.allocUnsafe(HEAD_BYTES + c.metas.length + 4);
  MAGIC.copy(body, 0);
  body.writeUInt32LE(c.segment, MAGIC.length);
  body.writeUInt32LE(c.pageSize, MAGIC.length + 4);
  c.metas.copy(body, HEAD_BYTES);
  body.writeUInt32LE(zlib.crc32(body.subarray(0, body.length - 4)), body.length - 4);
  return body;
}

/** writeCheckpoint, blocking (at open). */
export function writeCheckpointSync(dir: string, c: Checkpoint): void {
  const path = nodePath.join(dir, CHECKPOINT_FILE);
  const tmp = `${path}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, encodeCheckpoint(c));
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path);
  const d = fs.openSync(dir, 'r');
  try { fs.fsyncSync(d); } finally { fs.closeSync(d); }
}

/** Writes the checkpoint file atomically and durably (temporary file, fsync, rename, directory fsync). */
export async function writeCheckpoint(dir: string, c: Checkpoint): Promise<void> {
  const body = encodeCheckpoint(c);
  const path = nodePath.join(dir, CHECKPOINT_FILE);
  const tmp = `${path}.tmp`;
  const fh = await fs.promises.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(body);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, path);
  const d = await fs.promises.open(dir, 'r');
  try { await d.sync(); } finally { await d.close(); }
}

/** LMDB's two meta pages as the file holds them now. */
export function readMetaPages(dataFd: number, pageSize: number): Buffer {
  const b = Buffer.alloc(2 * pageSize);
  const n = fs.readSync(dataFd, b, 0, b.length, 0);
  if (n !== b.length) throw new Error(`data.mdb is shorter than its meta pages (${n} bytes)`);
  return b;
}

/** Puts saved meta pages back into the (closed) LMDB file and syncs it. */
export function restoreMetaPages(dataFile: string, metas: Buffer): void {
  const fd = fs.openSync(dataFile, 'r+');
  try {
    fs.writeSync(fd, metas, 0, metas.length, 0);
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (e) => (e ? reject(e) : resolve())));
}

// ---- the data directory lock ----

const LOCK_FILE = 'quiverdb.pid';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Claims dir for this process; throws if another live process holds it. Returns a release function. */
export function lockDataDirectory(dir: string): () => void {
  const path = nodePath.join(dir, LOCK_FILE);
  let existing: number | undefined;
  try { existing = Number(fs.readFileSync(path, 'utf8').trim()); } catch { existing = undefined; }
  if (existing !== undefined && Number.isInteger(existing) && existing > 0 && existing !== process.pid && alive(existing)) {
    throw new Error(`data directory ${dir} is in use by process ${existing} (lock file ${path})`);
  }
  fs.writeFileSync(path, `${process.pid}\n`);
  return () => { fs.rmSync(path, { force: true }); };
}
