// PostgreSQL's bit(n) and bit varying(n): bit_in/varbit_in ('0101', 'b0101', 'x1F'), output,
// binary send/recv (int32 bit length + bytes), typmod checks and length coercion (bit(n) pads or
// truncates only when explicit; varbit(n) truncates only when explicit), int4/int8 conversions and
// bitcmp ordering — as varbit.c does them.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { BitString } from './vector-datum.js';

/** PostgreSQL's VARBITMAXLEN / MaxAttrSize * 8. */
export const BIT_MAX_LENGTH = 83886080;

const enc = new TextEncoder();

export function makeBitString(length: number, bytes: Uint8Array): BitString {
  return { kind: 'bit', length, bytes };
}

/** bittypmodin / varbittypmodin: the typmod is the length itself. */
export function bitTypmodIn(typeName: 'bit' | 'varbit', mods: readonly number[]): number {
  if (mods.length !== 1) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'invalid type modifier');
  const n = mods[0]!;
  if (n < 1) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `length for type ${typeName} must be at least 1`);
  if (n > BIT_MAX_LENGTH) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `length for type ${typeName} cannot exceed ${BIT_MAX_LENGTH}`);
  return n;
}

function firstChar(s: string, i: number): string {
  return String.fromCodePoint(s.codePointAt(i)!);
}

/**
 * bit_in (varying = false) / varbit_in (varying = true). A leading 'b'/'B' or 'x'/'X' selects
 * binary or hex digits; anything else is binary. The length check (typmod > 0) comes before the
 * digits are validated, with the length counted in bytes of the UTF-8 text as PostgreSQL does.
 */
export function bitIn(text: string, typmod: number, varying: boolean): BitString {
  let hex = false;
  let body = text;
  const c0 = text[0];
  if (c0 === 'b' || c0 === 'B') body = text.slice(1);
  else if (c0 === 'x' || c0 === 'X') { hex = true; body = text.slice(1); }
  const slen = enc.encode(body).length;
  let bitlen: number;
  if (!hex) bitlen = slen;
  else {
    if (slen > BIT_MAX_LENGTH / 4) {
      throw new SqlError(SQLSTATE.PROGRAM_LIMIT_EXCEEDED, `bit string length exceeds the maximum allowed (${BIT_MAX_LENGTH})`);
    }
    bitlen = slen * 4;
  }
  let length: number;
  if (varying) {
    if (typmod <= 0) length = bitlen;
    else if (bitlen > typmod) {
      throw new SqlError(SQLSTATE.STRING_DATA_RIGHT_TRUNCATION, `bit string too long for type bit varying(${typmod})`);
    } else length = bitlen;
  } else {
    if (typmod <= 0) length = bitlen;
    else if (bitlen !== typmod) {
      throw new SqlError(SQLSTATE.STRING_DATA_LENGTH_MISMATCH, `bit string length ${bitlen} does not match type bit(${typmod})`);
    } else length = typmod;
  }
  const bytes = new Uint8Array((length + 7) >> 3);
  if (!hex) {
    for (let i = 0; i < body.length; i++) {
      const ch = body[i];
      if (ch === '1') bytes[i >> 3]! |= 0x80 >> (i & 7);
      else if (ch !== '0') {
        throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `"${firstChar(body, i)}" is not a valid binary digit`);
      }
    }
  } else {
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      let x: number;
      if (c >= 48 && c <= 57) x = c - 48;
      else if (c >= 65 && c <= 70) x = c - 55;
      else if (c >= 97 && c <= 102) x = c - 87;
      else throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `"${firstChar(body, i)}" is not a valid hexadecimal digit`);
      bytes[i >> 1]! |= (i & 1) === 0 ? x << 4 : x;
    }
  }
  return makeBitString(length, bytes);
}

/** bit_out / varbit_out: one '0' or '1' per bit. */
export function bitOut(b: BitString): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b.bytes[i >> 3]! & (0x80 >> (i & 7))) !== 0 ? '1' : '0';
  return s;
}

/** bit_send / varbit_send: int32 bit length, then the bytes. */
export function bitSend(b: BitString): Uint8Array {
  const out = new Uint8Array(4 + b.bytes.length);
  new DataView(out.buffer).setInt32(0, b.length);
  out.set(b.bytes, 4);
  return out;
}

/** bit_recv / varbit_recv: the padding bits are cleared; a typmod checks the length. */
export function bitRecv(buf: Uint8Array, typmod: number, varying: boolean): BitString {
  if (buf.length < 4) throw new SqlError(SQLSTATE.INVALID_BINARY_REPRESENTATION, 'insufficient data left in message');
  const bitlen = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getInt32(0);
  if (bitlen < 0 || bitlen > BIT_MAX_LENGTH) throw new SqlError(SQLSTATE.INVALID_BINARY_REPRESENTATION, 'invalid length in external bit string');
  if (typmod > 0) {
    if (varying && bitlen > typmod) {
      throw new SqlError(SQLSTATE.STRING_DATA_RIGHT_TRUNCATION, `bit string too long for type bit varying(${typmod})`);
    }
    if (!varying && bitlen !== typmod) {
      throw new SqlError(SQLSTATE.STRING_DATA_LENGTH_MISMATCH, `bit string length ${bitlen} does not match type bit(${typmod})`);
    }
  }
  const nbytes = (bitlen + 7) >> 3;
  if (buf.length < 4 + nbytes) throw new SqlError(SQLSTATE.INVALID_BINARY_REPRESENTATION, 'insufficient data left in message');
  if (buf.length > 4 + nbytes) throw new SqlError(SQLSTATE.INVALID_BINARY_REPRESENTATION, 'incorrect binary data format');
  const bytes = buf.slice(4, 4 + nbytes);
  padLastByte(bytes, bitlen);
  return makeBitString(bitlen, bytes);
}

function padLastByte(bytes: Uint8Array, length: number): void {
  const pad = bytes.length * 8 - length;
  if (pad > 0) bytes[bytes.length - 1]! &= (0xff << pad) & 0xff;
}

/** A copy of b resized to `length` bits: truncated, or zero-padded on the right. */
function resize(b: BitString, length: number): BitString {
  const bytes = new Uint8Array((length + 7) >> 3);
  bytes.set(b.bytes.subarray(0, Math.min(bytes.length, b.bytes.length)));
  padLastByte(bytes, length);
  return makeBitString(length, bytes);
}

/** bit(bit, int4, bool): implicit/assignment needs the exact length; explicit pads or truncates. */
export function coerceBitLength(b: BitString, typmod: number, explicit: boolean): BitString {
  if (typmod <= 0 || typmod > BIT_MAX_LENGTH || typmod === b.length) return b;
  if (!explicit) {
    throw new SqlError(SQLSTATE.STRING_DATA_LENGTH_MISMATCH, `bit string length ${b.length} does not match type bit(${typmod})`);
  }
  return resize(b, typmod);
}

/** varbit(varbit, int4, bool): too long is an error unless explicit, which truncates. */
export function coerceVarbitLength(b: BitString, typmod: number, explicit: boolean): BitString {
  if (typmod <= 0 || typmod >= b.length) return b;
  if (!explicit) throw new SqlError(SQLSTATE.STRING_DATA_RIGHT_TRUNCATION, `bit string too long for type bit varying(${typmod})`);
  return resize(b, typmod);
}

/** bitfromint4 / bitfromint8: the low `typmod` bits of the two's complement value (typmod <= 0 means 1). */
export function bitFromInt(v: bigint, typmod: number): BitString {
  const length = typmod <= 0 || typmod > BIT_MAX_LENGTH ? 1 : typmod;
  const bytes = new Uint8Array((length + 7) >> 3);
  const pad = bytes.length * 8 - length;
  // two's complement sign extension, shifted so the last bit lands before the padding
  let u = BigInt.asUintN(length, v) << BigInt(pad);
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return makeBitString(length, bytes);
}

/** bittoint4 / bittoint8: the bits as an unsigned number, then reinterpreted as signed. */
export function bitToInt(b: BitString, bits: 32 | 64): bigint {
  if (b.length > bits) throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE, bits === 32 ? 'integer out of range' : 'bigint out of range');
  let u = 0n;
  for (const x of b.bytes) u = (u << 8n) | BigInt(x);
  u >>= BigInt(b.bytes.length * 8 - b.length);
  return BigInt.asIntN(bits, u);
}

/** bitcmp: bytes compared over the shorter byte length, then the bit lengths. */
export function compareBits(a: BitString, b: BitString): number {
  const n = Math.min(a.bytes.length, b.bytes.length);
  for (let i = 0; i < n; i++) {
    const d = a.bytes[i]! - b.bytes[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return 0;
}
