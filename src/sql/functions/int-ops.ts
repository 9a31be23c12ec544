// Arithmetic and bitwise operators on int2/int4/int8, with PostgreSQL's cross-type variants and
// its overflow (22003) and division-by-zero (22012) errors. Integer division truncates.
import type { Datum } from '../types/index.js';
import { op, type Impl } from './registry.js';
import { T } from './oids.js';
import { divZero, int2Range, int4Range, int8Range } from './errors.js';

const I4MIN = -2147483648, I4MAX = 2147483647;
const I8MIN = -9223372036854775808n, I8MAX = 9223372036854775807n;

function chk2(r: number): number { if (r > 32767 || r < -32768) throw int2Range(); return r; }
function chk4(r: number): number { if (r > I4MAX || r < I4MIN) throw int4Range(); return r; }
function chk8(r: bigint): bigint { if (r > I8MAX || r < I8MIN) throw int8Range(); return r; }

/** Small-int ops (int2/int4 combos): computed exactly in doubles, then range-checked. */
function smallOps(l: number, r: number, ret: number, chk: (x: number) => number): void {
  op('+', l, r, ret, (a) => chk((a[0] as number) + (a[1] as number)));
  op('-', l, r, ret, (a) => chk((a[0] as number) - (a[1] as number)));
  op('*', l, r, ret, (a) => {
    return chk((a[0] as number) * (a[1] as number) + 0);
  });
  op('/', l, r, ret, (a) => {
    const y = a[1] as number;
    if (y === 0) throw divZero();
    return chk(Math.trunc((a[0] as number) / y) + 0);
  });
}

function toBig(d: Datum): bigint { return typeof d === 'bigint' ? d : BigInt(d as number); }

function bigOps(l: number, r: number): void {
  const ops: [string, Impl][] = [
    ['+', (a) => chk8(toBig(a[0]!) + toBig(a[1]!))],
    ['-', (a) => chk8(toBig(a[0]!) - toBig(a[1]!))],
    ['*', (a) => chk8(toBig(a[0]!) * toBig(a[1]!))],
    ['/', (a) => {
      const y = toBig(a[1]!);
      if (y === 0n) throw divZero();
      return chk8(toBig(a[0]!) / y);
    }],
  ];
  for (const [s, f] of ops) op(s, l, r, T.int8, f);
}

export function registerIntOps(): void {
  // int4 + int4: the hot path, no allocation
  op('+', T.int4, T.int4, T.int4, (a) => {
    const r = (a[0] as number) + (a[1] as number);
    if (r > I4MAX || r < I4MIN) throw int4Range();
    return r;
  });
  op('-', T.int4, T.int4, T.int4, (a) => {
    const r = (a[0] as number) - (a[1] as number);
    if (r > I4MAX || r < I4MIN) throw int4Range();
    return r;
  });
  op('*', T.int4, T.int4, T.int4, (a) => {
    const r = (a[0] as number) * (a[1] as number);
    if (r > I4MAX || r < I4MIN) throw int4Range();
    return r + 0;
  });
  op('/', T.int4, T.int4, T.int4, (a) => {
    const y = a[1] as number;
    if (y === 0) throw divZero();
    const r = Math.trunc((a[0] as number) / y);
    if (r > I4MAX) throw int4Range();
    return r + 0;
  });
  smallOps(T.int2, T.int2, T.int2, chk2);
  smallOps(T.int2, T.int4, T.int4, chk4);
  smallOps(T.int4, T.int2, T.int4, chk4);
  bigOps(T.int8, T.int8);
  bigOps(T.int4, T.int8);
  bigOps(T.int8, T.int4);
  bigOps(T.int2, T.int8);
  bigOps(T.int8, T.int2);

  // modulo: only same-type in PostgreSQL; the sign follows the dividend; MIN % -1 = 0
  const modSmall: Impl = (a) => {
    const y = a[1] as number;
    if (y === 0) throw divZero();
    const r = (a[0] as number) % y;
    return r === 0 ? 0 : r;
  };
  op('%', T.int2, T.int2, T.int2, modSmall);
  op('%', T.int4, T.int4, T.int4, modSmall);
  op('%', T.int8, T.int8, T.int8, (a) => {
    const y = a[1] as bigint;
    if (y === 0n) throw divZero();
    return (a[0] as bigint) % y;
  });

  // prefix operators
  op('-', 0, T.int2, T.int2, (a) => chk2(-(a[0] as number) || 0));
  op('-', 0, T.int4, T.int4, (a) => chk4(-(a[0] as number) || 0));
  op('-', 0, T.int8, T.int8, (a) => chk8(-(a[0] as bigint)));
  op('+', 0, T.int2, T.int2, (a) => a[0]!);
  op('+', 0, T.int4, T.int4, (a) => a[0]!);
  op('+', 0, T.int8, T.int8, (a) => a[0]!);
  op('@', 0, T.int2, T.int2, (a) => chk2(Math.abs(a[0] as number)));
  op('@', 0, T.int4, T.int4, (a) => chk4(Math.abs(a[0] as number)));
  op('@', 0, T.int8, T.int8, (a) => { const x = a[0] as bigint; return chk8(x < 0n ? -x : x); });

  // bitwise
  for (const t of [T.int2, T.int4]) {
    op('&', t, t, t, (a) => (a[0] as number) & (a[1] as number));
    op('|', t, t, t, (a) => (a[0] as number) | (a[1] as number));
    op('#', t, t, t, (a) => (a[0] as number) ^ (a[1] as number));
    op('~', 0, t, t, (a) => ~(a[0] as number));
    const bits = t === T.int2 ? 16 : 32;
    op('<<', t, T.int4, t, (a) => {
      const r = (a[0] as number) << ((a[1] as number) & 31);
      return bits === 16 ? (r << 16) >> 16 : r;
    });
    op('>>', t, T.int4, t, (a) => (a[0] as number) >> ((a[1] as number) & 31));
  }
  op('&', T.int8, T.int8, T.int8, (a) => (a[0] as bigint) & (a[1] as bigint));
  op('|', T.int8, T.int8, T.int8, (a) => (a[0] as bigint) | (a[1] as bigint));
  op('#', T.int8, T.int8, T.int8, (a) => (a[0] as bigint) ^ (a[1] as bigint));
  op('~', 0, T.int8, T.int8, (a) => ~(a[0] as bigint));
  op('<<', T.int8, T.int4, T.int8, (a) => BigInt.asIntN(64, (a[0] as bigint) << BigInt((a[1] as number) & 63)));
  op('>>', T.int8, T.int4, T.int8, (a) => (a[0] as bigint) >> BigInt((a[1] as number) & 63));
}
