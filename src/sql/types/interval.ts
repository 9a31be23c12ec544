// Interval: PostgreSQL's interval value (months, days, microseconds kept apart) and its arithmetic,
// comparison (30-day months, 24-hour days, as interval_cmp does) and justify_* helpers.
// Text input/output is in interval-io.ts.
import { SqlError, SQLSTATE } from '../../base/index.js';

export const USECS_PER_DAY = 86_400_000_000n;
export const USECS_PER_HOUR = 3_600_000_000n;
export const USECS_PER_MINUTE = 60_000_000n;
export const USECS_PER_SEC = 1_000_000n;
const DAYS_PER_MONTH = 30;
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

export class Interval {
  readonly kind = 'interval' as const;
  constructor(
    readonly months: number,
    readonly days: number,
    readonly micros: bigint,
  ) {}

  static readonly ZERO = new Interval(0, 0, 0n);

  static checked(months: number, days: number, micros: bigint): Interval {
    if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX || days < INT32_MIN ||
        micros > INT64_MAX || micros < INT64_MIN || !Number.isFinite(months) || !Number.isFinite(days)) {
      throw intervalOutOfRange();
    }
    return new Interval(months, days, micros);
  }

  add(o: Interval): Interval {
    return Interval.checked(this.months + o.months, this.days + o.days, this.micros + o.micros);
  }

  sub(o: Interval): Interval {
    return Interval.checked(this.months - o.months, this.days - o.days, this.micros - o.micros);
  }

  neg(): Interval {
    return Interval.checked(-this.months, -this.days, -this.micros);
  }

  /** interval * float8, exactly as PostgreSQL's interval_mul (fractions cascade down). */
  mul(factor: number): Interval {
    return scaleInterval(this, factor, false);
  }

  /** interval / float8, exactly as PostgreSQL's interval_div. */
  div(factor: number): Interval {
    if (factor === 0) throw new SqlError(SQLSTATE.DIVISION_BY_ZERO, 'division by zero');
    return scaleInterval(this, factor, true);
  }

  /** interval_cmp_value: the 128-bit "span" PostgreSQL compares by. */
  span(): bigint {
    return this.micros + BigInt(this.days) * USECS_PER_DAY + BigInt(this.months) * 30n * USECS_PER_DAY;
  }

  compare(o: Interval): number {
    const a = this.span();
    const b = o.span();
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(o: Interval): boolean { return this.compare(o) === 0; }

  /** justify_hours: whole days out of the time part. */
  justifyHours(): Interval {
    let days = this.days + Number(this.micros / USECS_PER_DAY);
    let micros = this.micros % USECS_PER_DAY;
    if (days > 0 && micros < 0n) { micros += USECS_PER_DAY; days--; }
    else if (days < 0 && micros > 0n) { micros -= USECS_PER_DAY; days++; }
    return Interval.checked(this.months, days, micros);
  }

  /** justify_days: 30-day groups of days into months. */
  justifyDays(): Interval {
    let months = this.months + Math.trunc(this.days / DAYS_PER_MONTH);
    let days = this.days % DAYS_PER_MONTH;
    if (months > 0 && days < 0) { days += DAYS_PER_MONTH; months--; }
    else if (months < 0 && days > 0) { days -= DAYS_PER_MONTH; months++; }
    return Interval.checked(months, days === 0 ? 0 : days, this.micros);
  }

  /** justify_interval. */
  justifyInterval(): Interval {
    let months = this.months;
    let days = this.days;
    let micros = this.micros;
    months += Math.trunc(days / DAYS_PER_MONTH);
    days = days % DAYS_PER_MONTH;
    days += Number(micros / USECS_PER_DAY);
    micros = micros % USECS_PER_DAY;
    months += Math.trunc(days / DAYS_PER_MONTH);
    days = days % DAYS_PER_MONTH;
    if (months > 0 && (days < 0 || (days === 0 && micros < 0n))) { days += DAYS_PER_MONTH; months--; }
    else if (months < 0 && (days > 0 || (days === 0 && micros > 0n))) { days -= DAYS_PER_MONTH; months++; }
    if (days > 0 && micros < 0n) { micros += USECS_PER_DAY; days--; }
    else if (days < 0 && micros > 0n) { micros -= USECS_PER_DAY; days++; }
    return Interval.checked(months, days === 0 ? 0 : days, micros);
  }
}

/** TSROUND: round to microsecond precision in floating point. */
function tsround(x: number): number {
  return rint(x * 1e6) / 1e6;
}

function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function scaleInterval(iv: Interval, factor: number, divide: boolean): Interval {
  const op = (a: number): number => (divide ? a / factor : a * factor);
  const monthD = op(iv.months);
  if (Number.isNaN(monthD) || monthD > INT32_MAX || monthD < INT32_MIN) throw intervalOutOfRange();
  const months = Math.trunc(monthD);
  const dayD = op(iv.days);
  if (Number.isNaN(dayD) || dayD > INT32_MAX || dayD < INT32_MIN) throw intervalOutOfRange();
  let days = Math.trunc(dayD);
  const monthRemainderDays = tsround((op(iv.months) - months) * DAYS_PER_MONTH);
  let secRemainder = tsround((op(iv.days) - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400);
  if (Math.abs(secRemainder) >= 86400) {
    const whole = Math.trunc(secRemainder / 86400);
    days += whole;
    secRemainder -= whole * 86400;
  }
  days += Math.trunc(monthRemainderDays);
  const t = rint(op(Number(iv.micros)) + secRemainder * 1e6);
  if (Number.isNaN(t) || t < -9223372036854775808 || t >= 9223372036854775808) throw intervalOutOfRange();
  return Interval.checked(months + 0, days + 0, BigInt(t));
}

export function intervalOutOfRange(): SqlError {
  return new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'interval out of range');
}

export function isInterval(d: unknown): d is Interval {
  return d instanceof Interval;
}
