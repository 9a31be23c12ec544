// Where data lives in the ordered keyspace. Every key starts with a namespace byte:
//   0x01 catalog, 0x02 sequences, 0x03 other system state, 0x10 table/index data
//   (0x10 / uint tableId / uint indexId / key columns...).
// Each index is one contiguous range: [tableKeyPrefix(t, i), prefixEnd(tableKeyPrefix(t, i))).
import { KeyWriter } from './encoding.js';

export const NS_CATALOG = 0x01;
export const NS_SEQUENCE = 0x02;
export const NS_SYSTEM = 0x03;
export const NS_TABLE = 0x10;

/** Prefix of every catalog key. */
export const CATALOG_PREFIX: Buffer = Buffer.from([NS_CATALOG]);
/** Prefix of every sequence-state key. */
export const SEQUENCE_PREFIX: Buffer = Buffer.from([NS_SEQUENCE]);
/** Prefix of other system keys (settings, schema version, ...). */
export const SYSTEM_PREFIX: Buffer = Buffer.from([NS_SYSTEM]);
/** Prefix of all table and index data. */
export const TABLE_DATA_PREFIX: Buffer = Buffer.from([NS_TABLE]);

/** Prefix of all keys of one index (indexId 0 or the primary index id holds the rows, by the lead's convention). */
export function tableKeyPrefix(tableId: number, indexId: number): Buffer {
  return new KeyWriter(16).byte(NS_TABLE).uint(tableId).uint(indexId).finish();
}

/** Prefix of all indexes of one table. */
export function tablePrefix(tableId: number): Buffer {
  return new KeyWriter(16).byte(NS_TABLE).uint(tableId).finish();
}

/** Prefix of catalog keys of one kind (e.g. one per descriptor type). */
export function catalogKeyPrefix(kind: number): Buffer {
  return new KeyWriter(8).byte(NS_CATALOG).uint(kind).finish();
}

/** Key of one catalog entry: kind + id. */
export function catalogKey(kind: number, id: number | bigint): Buffer {
  return new KeyWriter(16).byte(NS_CATALOG).uint(kind).uint(id).finish();
}

/** Key holding one sequence's state. */
export function sequenceKey(sequenceId: number): Buffer {
  return new KeyWriter(16).byte(NS_SEQUENCE).uint(sequenceId).finish();
}

/** Key of a named system entry. */
export function systemKey(name: string): Buffer {
  return new KeyWriter(32).byte(NS_SYSTEM).string(name).finish();
}

/**
 * The smallest key greater than every key that starts with prefix, or undefined when there is
 * none (prefix empty or all 0xFF): then the range is unbounded above.
 */
export function prefixEnd(prefix: Uint8Array): Buffer | undefined {
  let n = prefix.length;
  while (n > 0 && prefix[n - 1] === 0xff) n--;
  if (n === 0) return undefined;
  const out = Buffer.from(prefix.subarray(0, n));
  out[n - 1] = out[n - 1]! + 1;
  return out;
}

/** The smallest key greater than key (key + 0x00). */
export function keyNext(key: Uint8Array): Buffer {
  const out = Buffer.alloc(key.length + 1);
  out.set(key, 0);
  return out;
}
