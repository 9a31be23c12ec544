// RANGE frames with offsets (RANGE BETWEEN 5 PRECEDING AND 2 FOLLOWING): the bound
// `value ± offset` in a form ORDER BY values compare with — PostgreSQL's in_range support
// functions for integers, floats, numeric, date, timestamp, timestamp with time zone and interval
// (the binder's rangeOffsetType says which offset type each takes).
import { SqlError, SQLSTATE } from '../../base/index.js';
import { OID, Interval, type Numeric, compareDatums, dateToTimestamp, type Datum } from '../types/index.js';
import { resolveOperator } from '../functions/index.js';
import type { EvalContext } from '../functions/index.js';

/**
 * For an ORDER BY column of type `orderOid`: `bound(base, offset, sign)` is base + sign·offset,
 * and `compare(value, bound)` orders a column value against it.
 */
export interface RangeArithmetic {
  bound(base: Datum, offset: Datum, sign: 1 | -1, ctx: EvalContext): Datum;
  compare(value: Datum, bound: Datum): number;
}

function sizeError(): SqlError {
  return new SqlError(SQLSTATE.INVALID_PRECEDING_OR_FOLLOWING_SIZE, 'invalid preceding or following size in window function');
}

export function rangeArithmetic(orderOid: number): RangeArithmetic {
  switch (orderOid) {
    case OID.int2: case OID.int4: case OID.int8: {
      const big = (d: Datum): bigint => (typeof d === 'bigint' ? d : BigInt(d as number));
      return {
        bound(base, offset, sign) {
          if ((offset as bigint) < 0n) throw sizeError();
          return big(base) + BigInt(sign) * (offset as bigint);
        },
        compare(value, bound) {
          const v = big(value);
          const b = bound as bigint;
          return v < b ? -1 : v > b ? 1 : 0;
        },
      };
    }
    case OID.float4: case OID.float8:
      return {
        bound(base, offset, sign) {
          const o = offset as number;
          if (Number.isNaN(o) || o < 0) throw sizeError();
          // Infinite offsets reach every row on that side (in_range_float8_float8's rule).
          const b = base as number;
          if (o === Infinity) return sign * Infinity;
          return b + sign * o;
        },
        compare: (value, bound) => compareDatums(OID.float8, value, bound),
      };
    case OID.numeric:
      return {
        bound(base, offset, sign) {
          const o = offset as Numeric;
          if (o.isNaN() || o.sign() < 0) throw sizeError();
          return sign > 0 ? (base as Numeric).add(o) : (base as Numeric).sub(o);
        },
        compare: (value, bound) => compareDatums(OID.numeric, value, bound),
      };
    case OID.interval:
      return {
        bound(base, offset, sign) {
          if (compareDatums(OID.interval, offset, Interval.ZERO) < 0) throw sizeError();
          return sign > 0 ? (base as Interval).add(offset as Interval) : (base as Interval).sub(offset as Interval);
        },
        compare: (value, bound) => compareDatums(OID.interval, value, bound),
      };
    case OID.date: case OID.timestamp: case OID.timestamptz: {
      // date ± interval is a timestamp: dates compare with it as midnight timestamps.
      const asOid = orderOid === OID.date ? OID.timestamp : orderOid;
      const plus = resolveOperator('+', orderOid, OID.interval).def;
      const minus = resolveOperator('-', orderOid, OID.interval).def;
      if (plus.kind === 'aggregate' || minus.kind === 'aggregate') throw new Error('internal: datetime arithmetic');
      const widen = (d: Datum): Datum => (orderOid === OID.date ? dateToTimestamp(d as number) : d);
      return {
        bound(base, offset, sign, ctx) {
          if (compareDatums(OID.interval, offset, Interval.ZERO) < 0) throw sizeError();
          return (sign > 0 ? plus : minus).impl([base, offset], ctx) as Datum;
        },
        compare: (value, bound) => compareDatums(asOid, widen(value), bound),
      };
    }
    default:
      throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'RANGE with offset PRECEDING/FOLLOWING is not supported for this column type');
  }
}
