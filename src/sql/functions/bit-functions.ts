// Bit-string built-ins: pgvector's hamming_distance / jaccard_distance and their operators <~> <%>,
// and PostgreSQL's bit and varbit functions and operators (length, bit_length, octet_length,
// bit_count, get_bit, set_bit, substring, overlay, position, & | # ~ << >> ||, comparisons) and the
// bit_and / bit_or / bit_xor aggregates, with PostgreSQL's SQLSTATEs and messages.
import { SqlError, SQLSTATE } from '../../base/index.js';
import type { BitString, Datum } from '../types/index.js';
import { OID, compareDatums } from '../types/index.js';
import { hammingDistance, jaccardDistance, popcount } from '../../vector/index.js';
import { agg, fn, op, type Impl } from './registry.js';
import { T } from './oids.js';
import { int4Range } from './errors.js';
import { clearPadding, differentBitLengths, makeBits } from './vector-support.js';

const bitAt = (b: BitString, i: number): number => (b.bytes[i >> 3]! >> (7 - (i & 7))) & 1;

function setBitAt(b: BitString, i: number, v: number): void {
  const mask = 0x80 >> (i & 7);
  if (v) b.bytes[i >> 3]! |= mask;
  else b.bytes[i >> 3]! &= ~mask & 0xff;
}

function sizeMismatch(verb: 'AND' | 'OR' | 'XOR'): SqlError {
  return new SqlError(SQLSTATE.STRING_DATA_LENGTH_MISMATCH, `cannot ${verb} bit strings of different sizes`);
}

type ByteOp = (x: number, y: number) => number;
const BITWISE: [string, 'AND' | 'OR' | 'XOR', string, ByteOp][] = [
  ['&', 'AND', 'bit_and', (x, y) => x & y],
  ['|', 'OR', 'bit_or', (x, y) => x | y],
  ['#', 'XOR', 'bit_xor', (x, y) => x ^ y],
];

function bitwise(a: BitString, b: BitString, verb: 'AND' | 'OR' | 'XOR', f: ByteOp): BitString {
  if (a.length !== b.length) throw sizeMismatch(verb);
  const out = makeBits(a.length);
  for (let i = 0; i < out.bytes.length; i++) out.bytes[i] = f(a.bytes[i]!, b.bytes[i]!);
  return out;
}

/** a << n keeping the length (negative n shifts right). */
function shiftLeft(a: BitString, n: number): BitString {
  const out = makeBits(a.length);
  for (let i = 0; i < a.length; i++) {
    const src = i + n;
    if (src >= 0 && src < a.length && bitAt(a, src)) setBitAt(out, i, 1);
  }
  return out;
}

function concat(a: BitString, b: BitString): BitString {
  const out = makeBits(a.length + b.length);
  if ((a.length & 7) === 0) {
    out.bytes.set(a.bytes, 0);
    out.bytes.set(b.bytes, a.bytes.length);
    return out;
  }
  out.bytes.set(a.bytes, 0);
  for (let i = 0; i < b.length; i++) if (bitAt(b, i)) setBitAt(out, a.length + i, 1);
  return out;
}

/** bitsubstring: 1-based start s, length l (undefined: to the end). */
function substring(a: BitString, s: number, l: number | undefined): BitString {
  const len = a.length;
  const s1 = Math.max(s, 1);
  let e1: number;
  if (l === undefined) e1 = len + 1;
  else {
    if (l < 0) throw new SqlError(SQLSTATE.SUBSTRING_ERROR, 'negative substring length not allowed');
    const e = s + l;
    e1 = e > 2147483647 ? len + 1 : Math.min(e, len + 1);
  }
  if (s1 > len || e1 <= s1) return makeBits(0);
  const n = e1 - s1;
  const out = makeBits(n);
  for (let i = 0; i < n; i++) if (bitAt(a, s1 - 1 + i)) setBitAt(out, i, 1);
  return out;
}

function overlay(a: BitString, b: BitString, sp: number, sl: number): BitString {
  if (sp <= 0) throw new SqlError(SQLSTATE.SUBSTRING_ERROR, 'negative substring length not allowed');
  const end = sp + sl;
  if (end > 2147483647 || end < -2147483648) throw int4Range();
  return concat(concat(substring(a, 1, sp - 1), b), substring(a, end, undefined));
}

function position(str: BitString, sub: BitString): number {
  if (str.length === 0 || sub.length > str.length) return 0;
  if (sub.length === 0) return 1;
  outer: for (let i = 0; i + sub.length <= str.length; i++) {
    for (let j = 0; j < sub.length; j++) if (bitAt(str, i + j) !== bitAt(sub, j)) continue outer;
    return i + 1;
  }
  return 0;
}

function checkIndex(a: BitString, n: number): void {
  if (n < 0 || n >= a.length) {
    throw new SqlError(SQLSTATE.ARRAY_SUBSCRIPT_ERROR, `bit index ${n} out of valid range (0..${a.length - 1})`);
  }
}

export function registerBitFunctions(): void {
  const BIT = OID.bit, VARBIT = OID.varbit, I4 = T.int4, F8 = T.float8;
  const bb = (a: Datum[]): [BitString, BitString] => [a[0] as BitString, a[1] as BitString];

  // pgvector
  const hamming: Impl = (a) => {
    const [x, y] = bb(a);
    if (x.length !== y.length) throw differentBitLengths(x.length, y.length);
    return hammingDistance(x.bytes, y.bytes);
  };
  const jaccard: Impl = (a) => {
    const [x, y] = bb(a);
    if (x.length !== y.length) throw differentBitLengths(x.length, y.length);
    return jaccardDistance(x.bytes, y.bytes);
  };
  fn('hamming_distance', [BIT, BIT], F8, hamming);
  fn('jaccard_distance', [BIT, BIT], F8, jaccard);
  op('<~>', BIT, BIT, F8, hamming);
  op('<%>', BIT, BIT, F8, jaccard);

  // PostgreSQL: sizes and single bits
  fn('length', [BIT], I4, (a) => (a[0] as BitString).length);
  fn('bit_length', [BIT], I4, (a) => (a[0] as BitString).length);
  fn('octet_length', [BIT], I4, (a) => (a[0] as BitString).bytes.length);
  fn('bit_count', [BIT], T.int8, (a) => BigInt(popcount((a[0] as BitString).bytes)), { oid: 6162 });
  fn('get_bit', [BIT, I4], I4, (a) => {
    const b = a[0] as BitString, n = a[1] as number;
    checkIndex(b, n);
    return bitAt(b, n);
  }, { oid: 3032 });
  fn('set_bit', [BIT, I4, I4], BIT, (a) => {
    const b = a[0] as BitString, n = a[1] as number, v = a[2] as number;
    checkIndex(b, n);
    if (v !== 0 && v !== 1) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'new bit must be 0 or 1');
    const out = makeBits(b.length, b.bytes.slice());
    setBitAt(out, n, v);
    return out;
  }, { oid: 3033 });

  // substrings
  fn('substring', [BIT, I4, I4], BIT, (a) => substring(a[0] as BitString, a[1] as number, a[2] as number));
  fn('substring', [BIT, I4], BIT, (a) => substring(a[0] as BitString, a[1] as number, undefined));
  fn('overlay', [BIT, BIT, I4, I4], BIT, (a) => overlay(a[0] as BitString, a[1] as BitString, a[2] as number, a[3] as number));
  fn('overlay', [BIT, BIT, I4], BIT, (a) => {
    const b = a[1] as BitString;
    return overlay(a[0] as BitString, b, a[2] as number, b.length);
  });
  fn('position', [BIT, BIT], I4, (a) => position(a[0] as BitString, a[1] as BitString));

  // operators
  for (const [sym, verb, , f] of BITWISE) op(sym, BIT, BIT, BIT, (a) => bitwise(a[0] as BitString, a[1] as BitString, verb, f));
  op('~', 0, BIT, BIT, (a) => {
    const b = a[0] as BitString;
    const out = makeBits(b.length);
    for (let i = 0; i < out.bytes.length; i++) out.bytes[i] = ~b.bytes[i]! & 0xff;
    return clearPadding(out);
  });
  op('<<', BIT, I4, BIT, (a) => shiftLeft(a[0] as BitString, a[1] as number));
  op('>>', BIT, I4, BIT, (a) => shiftLeft(a[0] as BitString, -(a[1] as number)));
  op('||', VARBIT, VARBIT, VARBIT, (a) => concat(a[0] as BitString, a[1] as BitString));

  // comparisons (bitcmp, as sql/types orders bit strings)
  for (const t of [BIT, VARBIT]) {
    const cmp = (a: Datum[]): number => compareDatums(t, a[0]!, a[1]!);
    op('=', t, t, T.bool, (a) => cmp(a) === 0);
    op('<>', t, t, T.bool, (a) => cmp(a) !== 0);
    op('<', t, t, T.bool, (a) => cmp(a) < 0);
    op('<=', t, t, T.bool, (a) => cmp(a) <= 0);
    op('>', t, t, T.bool, (a) => cmp(a) > 0);
    op('>=', t, t, T.bool, (a) => cmp(a) >= 0);
  }

  // aggregates
  for (const [, verb, name, f] of BITWISE) {
    agg<{ v: BitString | null }>(name, [BIT], BIT, {
      init: () => ({ v: null }),
      step: (st, a) => {
        const x = a[0] as BitString;
        st.v = st.v === null ? x : bitwise(st.v, x, verb, f);
        return st;
      },
      final: (st) => st.v,
    });
  }
}
