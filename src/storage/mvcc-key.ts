// The MVCC key encoding: a stored key is the user key followed by 8 bytes holding
// (2^64 - 1 - commitTs) big-endian, so all versions of one user key are adjacent and sort newest
// first. Stored values start with one byte: VALUE_PUT followed by the user value, or VALUE_TOMBSTONE.
// Requirement on user keys: no user key is a proper prefix of another user key (the keys module's
// encodings are prefix-free), else versions of two keys would interleave.

export const TS_BYTES = 8;
export const VALUE_TOMBSTONE = 0;
export const VALUE_PUT = 1;
export const TS_MAX = (1n << 64n) - 1n;

export function encodeMvccKey(key: Uint8Array, ts: bigint): Buffer {
  const out = Buffer.allocUnsafe(key.length + TS_BYTES);
  out.set(key, 0);
  out.writeBigUInt64BE(TS_MAX - ts, key.length);
  return out;
}

/** The 8-byte suffix encodeMvccKey appends for ts (to append it to many keys of one batch). */
export function mvccSuffix(ts: bigint): Buffer {
  const out = Buffer.allocUnsafe(TS_BYTES);
  out.writeBigUInt64BE(TS_MAX - ts, 0);
  return out;
}


/** The commit timestamp of a stored key. */
export function mvccKeyTs(raw: Uint8Array): bigint {
  const n = raw.length - TS_BYTES;
  const b = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  return TS_MAX - b.readBigUInt64BE(n);
}

export function encodePutValue(value: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(value.length + 1);
  out[0] = VALUE_PUT;
  out.set(value, 1);
  return out;
}

export const TOMBSTONE_VALUE: Buffer = Buffer.from([VALUE_TOMBSTONE]);
