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

  /** interval * float8, PostgreSQL's interval_mul (fractional months/days cascade down). */
  mul(factor: number): Interval {
    if (Number.isNaN(factor)) {
      throw intervalOutOfRange();
    }
    const monthsF = this.months * factor;
    const daysF = this.days * factor;
    if (!Number.isFinite(monthsF) || !Number.isFinite(daysF) ||
        monthsF > INT32_MAX || monthsF < INT32_MIN || daysF > INT32_MAX || daysF < INT32_MIN) {
      throw intervalOutOfRange();
    }
    const months = Math.trunc(monthsF);
    let days = Math.trunc(daysF);
    // fractional month → days (30 per month), fractional day → time
    let monthRemainderDays = (monthsF - months) * DAYS_PER_MONTH;
    monthRemainderDays = Number(monthRemainderDays.toPrecision(15)); // TSROUND-like
    const wholeRem = Math.trunc(monthRemainderDays);
    let secRemainder = (daysF - days + monthRemainderDays - wholeRem) * 86400;
    secRemainder = Number(secRemainder.toPrecision(15));
    if (Math.abs(secRemainder) >= 86400) {
      days += Math.trunc(secRemainder / 86400);
      secRemainder -= Math.trunc(secRemainder / 86400) * 86400;
    }
    days += wholeRem;
    const timeF = Number(this.micros) * factor;
    return Interval.checked(months, days, rintBig(timeF + secRemainder * 1e6));
  }

  div(factor: number): Interval {
    if (factor === 0) throw new SqlError(SQLSTATE.DIVISION_BY_ZERO, 'division by zero');
    if (Number.isNaN(factor)) throw intervalOutOfRange();
    const monthsF = this.months / factor;
    const daysF = this.days / factor;
    const months = Math.trunc(monthsF);
    let days = Math.trunc(daysF);
    let monthRemainderDays = (monthsF - months) * DAYS_PER_MONTH;
    monthRemainderDays = Number(monthRemainderDays.toPrecision(15));
    const wholeRem = Math.trunc(monthRemainderDays);
    let secRemainder = (daysF - days + monthRemainderDays - wholeRem) * 86400;
    secRemainder = Number(secRemainder.toPrecision(15));
    if (Math.abs(secRemainder) >= 86400) {
      days += Math.trunc(secRemainder / 86400);
      secRemainder -= Math.trunc(secRemainder / 86400) * 86400;
    }
    days += wholeRem;
    const timeF = Number(this.micros) / factor + secRemainder * 1e6;
    return Interval.checked(months, days, rintBig(timeF));
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

function rintBig(x: number): bigint {
  if (!Number.isFinite(x) || Math.abs(x) > 9.2e18) throw intervalOutOfRange();
  const f = Math.floor(x);
  const diff = x - f;
  let r: number;
  if (diff > 0.5) r = f + 1;
  else if (diff < 0.5) r = f;
  else r = f % 2 === 0 ? f : f + 1;
  return BigInt(r);
}

export function intervalOutOfRange(): SqlError {
  return new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'interval out of range');
}

export function isInterval(d: unknown): d is Interval {
  return d instanceof Interval;
}
