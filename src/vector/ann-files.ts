// Atomic file writes for ANN index persistence: write a sibling temp file, fsync it, rename it over
// the target, fsync the directory. Also names the sidecar files an index path may own.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Sibling temp path, unique per process and call. */
let tempCounter = 0;
export function tempPathFor(path: string): string {
  tempCounter++;
  return `${path}.tmp-${process.pid}-${tempCounter}`;
}

function fsyncPath(path: string, dir = false): void {
  let fd = -1;
  try {
    fd = openSync(path, dir ? 'r' : 'r+');
    fsyncSync(fd);
  } catch {
    // Directory fsync is not supported everywhere; the rename is still atomic.
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Lets `produce` write to a temp file, then durably renames it to `path`. */
export function writeFileAtomic(path: string, produce: (tempPath: string) => void): void {
  const tmp = tempPathFor(path);
  try {
    produce(tmp);
    fsyncPath(tmp);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncPath(dirname(path), true);
}

/** Writes chunks to `path` atomically. */
export function writeChunksAtomic(path: string, chunks: readonly Uint8Array[]): void {
  writeFileAtomic(path, (tmp) => {
    const fd = openSync(tmp, 'w');
    try {
      for (const c of chunks) {
        let off = 0;
        while (off < c.length) off += writeSync(fd, c, off, c.length - off);
      }
    } finally {
      closeSync(fd);
    }
  });
}

/** Sidecar holding the options of a usearch-backed index saved at `path`. */
export function metaPathFor(path: string): string {
  return `${path}.meta.json`;
}

/** Every file an index saved at `path` may occupy (for DROP INDEX cleanup). */
export function annIndexFiles(path: string): string[] {
  return [path, metaPathFor(path)];
}
