// Compiling a bulk-load worker's input paths ahead of need: synthetic COPY lines with a column of
// each common type (integers, floats, numeric, text, bool, dates and timestamps, uuid, vector),
// encoded in small chunks when a worker first goes idle. V8 optimizes a type's input function only
// after thousands of calls, so the first COPY that meets a type ran largely unoptimized (a
// 100k-row COPY of int/text/float8/date after `pgbench -i` took 0.3 s, the next ones 0.15-0.2 s).
import { tableKeyPrefix } from '../../keys/index.js';
import { LIMITS } from '../../base/index.js';
import { OID, type SqlType } from '../types/index.js';
import { CopyEncoder, type CopyEncodeSpec } from './copy-encode.js';

const t = (oid: number, typmod = -1): SqlType => ({ oid, typmod });
const TYPES: SqlType[] = [
  t(OID.int4), t(OID.int8), t(OID.int2), t(OID.float8), t(OID.float4), t(OID.numeric), t(OID.text), t(OID.varchar),
  t(OID.bool), t(OID.date), t(OID.timestamp), t(OID.timestamptz), t(OID.uuid), t(OID.vector, 8),
];

/** A table with one column of each of those types (the first its key). */
export const WARM_UP_SPEC: CopyEncodeSpec = {
  types: TYPES, positions: TYPES.map((_, i) => i), notNull: TYPES.map(() => false),
  keyPositions: [0], keyTypes: [TYPES[0]!], prefix: tableKeyPrefix(1, 0), keyBytesMax: LIMITS.keyBytesMax,
  options: { csv: false, delimiter: '\t', nullString: '\\N', header: false, quote: '"', escape: '"' }, timeZone: 'UTC',
};

/** Lines encoded per chunk, and chunks in all (the worker serves its messages between chunks). */
const CHUNK_LINES = 500;
const CHUNKS = 24;

const two = (n: number): string => String(n).padStart(2, '0');

/** The synthetic input: count lines (COPY text format) from line number start on. */
export function warmUpLines(start: number, count: number): Buffer {
  const lines: string[] = [];
  for (let i = start; i < start + count; i++) lines.push(line(i));
  return Buffer.from(`${lines.join('\n')}\n`);
}

function line(i: number): string {
  const day = `2024-${two((i % 12) + 1)}-${two((i % 28) + 1)}`;
  const time = `${two(i % 24)}:${two(i % 60)}:${two((i * 7) % 60)}.${String(i % 1000).padStart(3, '0')}`;
  const hex = (i * 2654435761 >>> 0).toString(16).padStart(8, '0');
  const vec = `[${Array.from({ length: 8 }, (_, j) => ((i * (j + 3)) % 2000 / 1000 - 1).toFixed(4)).join(',')}]`;
  return [
    i, i * 1_000_003, i % 30_000, ((i * 0.37) % 1000).toFixed(i % 5), (i % 977) / 8, `${i % 100_000}.${two(i % 100)}`,
    `name-${i % 997}`, `v${i}`, i % 2 === 0 ? 't' : 'f', day, `${day} ${time}`, `${day} ${time}+00`,
    `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-8${hex.slice(5, 8)}-${hex}${hex.slice(0, 4)}`, vec,
  ].join('\t');
}

/**
 * Encodes the synthetic lines in chunks, one per turn of the event loop (schedule), so that a
 * COPY arriving meanwhile waits at most one chunk (~1-3 ms).
 */
export function warmUpEncoder(schedule: (next: () => void) => void): void {
  const encoder = new CopyEncoder(WARM_UP_SPEC);
  let chunk = 0;
  const step = (): void => {
    encoder.encode(warmUpLines(1 + chunk * CHUNK_LINES, CHUNK_LINES), false);
    if (++chunk < CHUNKS) schedule(step);
  };
  schedule(step);
}
