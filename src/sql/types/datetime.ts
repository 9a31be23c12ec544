// Calendar and time-zone arithmetic for date/time/timestamp/timestamptz datums (PostgreSQL's
// epoch 2000-01-01, microsecond timestamps, Julian day numbers), time-zone offsets from fixed
// offsets or IANA names (through Intl), and the helpers the function library needs: field
// splitting, timestamp +- interval, differences, extract/date_part and date_trunc.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import { Interval, USECS_PER_DAY, USECS_PER_SEC } from './interval.js';
import { Numeric } from './numeric.js';

export const POSTGRES_EPOCH_JDATE = 2451545;
export const UNIX_EPOCH_JDATE = 2440588;
/** -infinity / infinity timestamps (PostgreSQL's DT_NOBEGIN / DT_NOEND). */
export const DT_NOBEGIN = -9223372036854775808n;
export const DT_NOEND = 9223372036854775807n;
/** Valid timestamp range: [MIN_TIMESTAMP, END_TIMESTAMP). */
export const MIN_TIMESTAMP = -211813488000000000n;
export const END_TIMESTAMP = 9223371331200000000n;
/** Valid dates as days since 2000-01-01: [DATETIME_MIN_JULIAN, DATE_END_JULIAN) - epoch. */
export const MIN_DATE = 0 - POSTGRES_EPOCH_JDATE;
export const END_DATE = 2147483494 - POSTGRES_EPOCH_JDATE;

/** Session settings the type I/O reads. */
export interface TypeSettings {
  /** regclass output: the relation's name as the session sees it (else the OID is printed). */
  readonly relationName?: (oid: number) => string | undefined;
  /** regproc output: the procedure's name (else the OID is printed). */
  readonly procName?: (oid: number) => string;
  /** regnamespace output: the schema name (else the OID is printed). */
  readonly namespaceName?: (oid: number) => string | undefined;
  /** Session TimeZone (IANA name, 'UTC', or a fixed offset such as '+02', 'UTC+2' POSIX-style). */
  readonly timeZone?: string;
  /** DateStyle: only 'ISO, ...' is supported. */
  readonly dateStyle?: string;
  /** IntervalStyle: only 'postgres' is supported. */
  readonly intervalStyle?: string;
  /** extra_float_digits (default 1: shortest round-trip). */
  readonly extraFloatDigits?: number;
  /** bytea_output: 'hex' (default) or 'escape'. */
  readonly byteaOutput?: string;
  /** Transaction start time (micros since 2000-01-01 UTC) for 'now', 'today', 'tomorrow', 'yesterday'. */
  readonly now?: bigint;
}

// ---------------------------------------------------------------- calendar

/** Julian day number of a proleptic Gregorian date (PostgreSQL's date2j). */
export function date2j(y: number, m: number, d: number): number {
  if (m > 2) { m += 1; y += 4800; } else { m += 13; y += 4799; }
  const century = Math.floor(y / 100);
  let julian = y * 365 - 32167;
  julian += Math.floor(y / 4) - century + Math.floor(century / 4);
  julian += Math.floor((7834 * m) / 256) + d;
  return julian;
}

/** Inverse of date2j; writes year, month, day into out. */
export function j2date(jd: number, out: number[] = [0, 0, 0]): number[] {
  let julian = jd + 32044;
  let quad = Math.floor(julian / 146097);
  const extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + Math.floor(extra / 146097);
  quad = Math.floor(julian / 1461);
  julian -= quad * 1461;
  let y = Math.floor((julian * 4) / 1461);
  julian = y !== 0 ? ((julian + 305) % 365) + 123 : ((julian + 306) % 366) + 123;
  y += quad * 4;
  const year = y - 4800;
  quad = Math.floor((julian * 2141) / 65536);
  const day = julian - Math.floor((7834 * quad) / 256);
  const month = ((quad + 10) % 12) + 1;
  out[0] = year; out[1] = month; out[2] = day;
  return out;
}

export function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]!;
}

/** Days since 2000-01-01 of y-m-d (year 0 = 1 BC as in astronomical numbering). */
export function dateFromYmd(y: number, m: number, d: number): number {
  return date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
}

/** Fields of a (finite) date datum: [year, month, day] (astronomical year: 0 = 1 BC). */
export function ymdFromDate(days: number): number[] {
  return j2date(days + POSTGRES_EPOCH_JDATE);
}

/** Local calendar fields of a timestamp (micros since 2000-01-01). */
export interface TimestampFields {
  year: number; month: number; day: number;
  hour: number; minute: number; second: number; micro: number;
}

/** Splits a finite timestamp into fields (no allocation beyond the result object). */
export function timestampToFields(ts: bigint, out?: TimestampFields): TimestampFields {
  let days = ts / USECS_PER_DAY;
  let time = ts - days * USECS_PER_DAY;
  if (time < 0n) { time += USECS_PER_DAY; days -= 1n; }
  const ymd = j2date(Number(days) + POSTGRES_EPOCH_JDATE);
  const t = Number(time);
  const r = out ?? { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, micro: 0 };
  r.year = ymd[0]!; r.month = ymd[1]!; r.day = ymd[2]!;
  r.hour = Math.floor(t / 3_600_000_000);
  r.minute = Math.floor(t / 60_000_000) % 60;
  r.second = Math.floor(t / 1_000_000) % 60;
  r.micro = t % 1_000_000;
  return r;
}

/** Builds a timestamp from fields; undefined when it falls outside PostgreSQL's range. */
export function fieldsToTimestamp(y: number, mo: number, d: number, h: number, mi: number, s: number, us: number): bigint | undefined {
  const days = date2j(y, mo, d) - POSTGRES_EPOCH_JDATE;
  const ts = BigInt(days) * USECS_PER_DAY + BigInt(((h * 60 + mi) * 60 + s)) * USECS_PER_SEC + BigInt(us);
  if (ts < MIN_TIMESTAMP || ts >= END_TIMESTAMP) return undefined;
  return ts;
}

export function isFiniteTimestamp(ts: bigint): boolean {
  return ts !== DT_NOBEGIN && ts !== DT_NOEND;
}

export function timestampOutOfRange(): SqlError {
  return new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'timestamp out of range');
}

export function dateOutOfRange(): SqlError {
  return new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'date out of range');
}

export function checkTimestamp(ts: bigint): bigint {
  if (ts < MIN_TIMESTAMP || ts >= END_TIMESTAMP) throw timestampOutOfRange();
  return ts;
}

// ---------------------------------------------------------------- time zones

/** A resolved time zone: either a fixed offset or an IANA zone evaluated through Intl. */
export interface TimeZone {
  readonly name: string;
  /** Fixed UTC offset in seconds east of Greenwich, or undefined for IANA zones. */
  readonly fixedOffset: number | undefined;
  /** Offset in seconds (east positive) in effect at the given UTC instant (micros since 2000). */
  offsetAt(utc: bigint): number;
}

class FixedZone implements TimeZone {
  constructor(readonly name: string, readonly fixedOffset: number) {}
  offsetAt(): number { return this.fixedOffset; }
}

const UNIX_OFFSET_MS = 946_684_800_000; // 2000-01-01 in unix ms
const MIN_INTL_MS = -8.64e15;
const MAX_INTL_MS = 8.64e15;
const MAX_YEAR_9999_MS = 253402300799000;
const CYCLE_400Y_MS = 146097 * 86_400_000;

class IanaZone implements TimeZone {
  readonly fixedOffset = undefined;
  private readonly fmt: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();
  constructor(readonly name: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset', year: 'numeric' });
  }
  offsetAt(utc: bigint): number {
    let ms = Number(utc / 1000n) + UNIX_OFFSET_MS;
    // beyond year 9999 the rules repeat: shift by whole 400-year Gregorian cycles
    if (ms > MAX_YEAR_9999_MS) ms -= Math.ceil((ms - MAX_YEAR_9999_MS) / CYCLE_400Y_MS) * CYCLE_400Y_MS;
    if (ms < MIN_INTL_MS) ms = MIN_INTL_MS;
    if (ms > MAX_INTL_MS) ms = MAX_INTL_MS;
    // offsets change at most on whole minutes here; cache by 15-minute slot
    const slot = Math.floor(ms / 900_000);
    const hit = this.cache.get(slot);
    if (hit !== undefined) return hit;
    const parts = this.fmt.formatToParts(slot * 900_000);
    let off = 0;
    for (const p of parts) {
      if (p.type === 'timeZoneName') off = parseGmtOffset(p.value);
    }
    if (this.cache.size > 4096) this.cache.clear();
    this.cache.set(slot, off);
    return off;
  }
}

function parseGmtOffset(s: string): number {
  const m = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/.exec(s);
  if (m === null || m[1] === undefined) return 0;
  const v = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -v : v;
}

const ZONES = new Map<string, TimeZone | null>();
export const UTC_ZONE: TimeZone = new FixedZone('UTC', 0);

/**
 * Resolves a TimeZone setting or a zone name in input ('UTC', 'Europe/Paris', '+02', '-05:30',
 * 'UTC+2' POSIX-style with inverted sign). Undefined when not recognized.
 */
export function findTimeZone(name: string): TimeZone | undefined {
  const cached = ZONES.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const z = resolveZone(name);
  ZONES.set(name, z ?? null);
  return z;
}

/** Like findTimeZone, throwing PostgreSQL's 22023 error for unknown names. */
export function timeZoneOrThrow(name: string): TimeZone {
  const z = findTimeZone(name);
  if (z === undefined) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `time zone "${name}" not recognized`);
  return z;
}

function resolveZone(name: string): TimeZone | undefined {
  const lower = name.toLowerCase();
  if (lower === 'utc' || lower === 'gmt' || lower === 'z' || lower === 'zulu' || lower === 'etc/utc' ||
      lower === 'universal' || lower === 'etc/gmt' || lower === 'ut') {
    return new FixedZone(name, 0);
  }
  // ISO-style numeric offset: +02, -0530, +05:30
  let m = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(name);
  if (m !== null) {
    const v = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    if (v > 15 * 3600 + 59 * 60 + 59) return undefined;
    return new FixedZone(name, m[1] === '-' ? -v : v);
  }
  // POSIX-style: UTC+2, GMT-5, <+03>-3 (sign inverted)
  m = /^(?:UTC|GMT|<[+-]?\w+>|[A-Za-z]{3,})([+-]?)(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(name);
  if (m !== null && !/^[A-Za-z]+\//.test(name)) {
    const v = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return new FixedZone(name, m[1] === '-' ? v : -v);
  }
  const abbrev = ABBREVIATIONS[lower];
  if (abbrev !== undefined) return new FixedZone(name, abbrev);
  try {
    const z = new IanaZone(name);
    return z;
  } catch {
    return undefined;
  }
}

/** Common fixed-offset abbreviations accepted in input (PostgreSQL's Default set, abridged). */
const ABBREVIATIONS: Record<string, number> = {
  est: -5 * 3600, edt: -4 * 3600, cst: -6 * 3600, cdt: -5 * 3600, mst: -7 * 3600, mdt: -6 * 3600,
  pst: -8 * 3600, pdt: -7 * 3600, akst: -9 * 3600, akdt: -8 * 3600, hst: -10 * 3600,
  cet: 3600, cest: 7200, eet: 7200, eest: 10800, wet: 0, west: 3600, bst: 3600,
  msk: 3 * 3600, ist: 7200, jst: 9 * 3600, kst: 9 * 3600, aest: 10 * 3600, aedt: 11 * 3600,
  nzst: 12 * 3600, nzdt: 13 * 3600,
};

/** The session zone from settings (default UTC). */
export function sessionZone(settings?: TypeSettings): TimeZone {
  const n = settings?.timeZone;
  if (n === undefined || n === 'UTC' || n === 'utc') return UTC_ZONE;
  return timeZoneOrThrow(n);
}

/**
 * UTC instant of local wall-clock time `local` (micros since 2000, as if UTC) in zone, resolving
 * DST gaps with the pre-transition offset and overlaps with the post-transition one as PostgreSQL.
 */
export function localToUtc(local: bigint, zone: TimeZone): bigint {
  if (zone.fixedOffset !== undefined) return local - BigInt(zone.fixedOffset) * USECS_PER_SEC;
  const day = 43_200_000_000n;
  const before = zone.offsetAt(local - day);
  const after = zone.offsetAt(local + day);
  if (before === after) {
    const o = zone.offsetAt(local - BigInt(before) * USECS_PER_SEC);
    if (o === before) return local - BigInt(before) * USECS_PER_SEC;
  }
  const tb = local - BigInt(before) * USECS_PER_SEC;
  const ta = local - BigInt(after) * USECS_PER_SEC;
  const vb = zone.offsetAt(tb) === before;
  const va = zone.offsetAt(ta) === after;
  if (va && !vb) return ta;
  if (vb && !va) return tb;
  if (va && vb) return ta < tb ? ta : tb === ta ? ta : after < before ? ta : tb;
  return tb;
}

/** Local wall-clock micros of a UTC instant in zone, and the offset used (seconds). */
export function utcToLocal(utc: bigint, zone: TimeZone): { local: bigint; offset: number } {
  const offset = zone.offsetAt(utc);
  return { local: utc + BigInt(offset) * USECS_PER_SEC, offset };
}

// ---------------------------------------------------------------- arithmetic

/** timestamp + interval (PostgreSQL's timestamp_pl_interval; for timestamptz pass the zone). */
export function timestampPlusInterval(ts: bigint, iv: Interval, zone?: TimeZone): bigint {
  if (!isFiniteTimestamp(ts)) return ts;
  let t = ts;
  if (iv.months !== 0 || iv.days !== 0) {
    let local = t;
    let off = 0;
    if (zone !== undefined) { off = zone.offsetAt(t); local = t + BigInt(off) * USECS_PER_SEC; }
    const f = timestampToFields(local);
    if (iv.months !== 0) {
      let m = f.month - 1 + iv.months;
      const y = f.year + Math.floor(m / 12);
      m = ((m % 12) + 12) % 12 + 1;
      f.year = y; f.month = m;
      const dim = daysInMonth(y, m);
      if (f.day > dim) f.day = dim;
    }
    let days = date2j(f.year, f.month, f.day) - POSTGRES_EPOCH_JDATE + iv.days;
    const time = BigInt(((f.hour * 60 + f.minute) * 60 + f.second)) * USECS_PER_SEC + BigInt(f.micro);
    local = BigInt(days) * USECS_PER_DAY + time;
    if (local < MIN_TIMESTAMP || local >= END_TIMESTAMP) throw timestampOutOfRange();
    t = zone !== undefined ? localToUtc(local, zone) : local;
    days = 0;
  }
  t += iv.micros;
  return checkTimestamp(t);
}

export function timestampMinusInterval(ts: bigint, iv: Interval, zone?: TimeZone): bigint {
  return timestampPlusInterval(ts, iv.neg(), zone);
}

/** timestamp - timestamp → interval (days + time, as PostgreSQL's timestamp_mi + justify_hours). */
export function timestampDiff(a: bigint, b: bigint): Interval {
  if (!isFiniteTimestamp(a) || !isFiniteTimestamp(b)) {
    throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'cannot subtract infinite timestamps');
  }
  return new Interval(0, 0, a - b).justifyHours();
}

/** date + integer days. */
export function datePlusDays(d: number, n: number): number {
  if (!Number.isFinite(d)) return d;
  const r = d + n;
  if (r < MIN_DATE || r >= END_DATE) throw dateOutOfRange();
  return r;
}

/** date - date → integer days. */
export function dateDiff(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'cannot subtract infinite dates');
  }
  return a - b;
}

/** date → timestamp (midnight). */
export function dateToTimestamp(d: number): bigint {
  if (d === -Infinity) return DT_NOBEGIN;
  if (d === Infinity) return DT_NOEND;
  return checkTimestamp(BigInt(d) * USECS_PER_DAY);
}

/** timestamp → date (floor). */
export function timestampToDate(ts: bigint): number {
  if (ts === DT_NOBEGIN) return -Infinity;
  if (ts === DT_NOEND) return Infinity;
  let days = ts / USECS_PER_DAY;
  if (ts - days * USECS_PER_DAY < 0n) days -= 1n;
  return Number(days);
}

/** timestamp (local) → timestamptz in zone. */
export function timestampToTimestamptz(ts: bigint, zone: TimeZone): bigint {
  if (!isFiniteTimestamp(ts)) return ts;
  return checkTimestamp(localToUtc(ts, zone));
}

/** timestamptz → timestamp (local wall clock in zone). */
export function timestamptzToTimestamp(ts: bigint, zone: TimeZone): bigint {
  if (!isFiniteTimestamp(ts)) return ts;
  return checkTimestamp(ts + BigInt(zone.offsetAt(ts)) * USECS_PER_SEC);
}

/** date + time → timestamp. */
export function dateAddTime(d: number, timeMicros: number): bigint {
  if (!Number.isFinite(d)) return d > 0 ? DT_NOEND : DT_NOBEGIN;
  return checkTimestamp(BigInt(d) * USECS_PER_DAY + BigInt(timeMicros));
}

// ---------------------------------------------------------------- extract / date_trunc

const TRUNC_UNITS = ['microseconds', 'milliseconds', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'decade', 'century', 'millennium'] as const;

/** Canonical unit name for extract/date_part/date_trunc (PostgreSQL's aliases), or undefined. */
export function canonicalUnit(unit: string): string | undefined {
  const u = unit.toLowerCase().trim();
  switch (u) {
    case 'microsecond': case 'microseconds': case 'us': case 'usec': case 'usecs': case 'useconds': case 'usecond': return 'microseconds';
    case 'millisecond': case 'milliseconds': case 'ms': case 'msec': case 'msecs': case 'mseconds': case 'msecond': return 'milliseconds';
    case 'second': case 'seconds': case 's': case 'sec': case 'secs': return 'second';
    case 'minute': case 'minutes': case 'm': case 'min': case 'mins': return 'minute';
    case 'hour': case 'hours': case 'h': case 'hr': case 'hrs': return 'hour';
    case 'day': case 'days': case 'd': return 'day';
    case 'week': case 'weeks': case 'w': return 'week';
    case 'month': case 'months': case 'mon': case 'mons': return 'month';
    case 'quarter': case 'qtr': return 'quarter';
    case 'year': case 'years': case 'y': case 'yr': case 'yrs': return 'year';
    case 'decade': case 'decades': case 'dec': case 'decs': return 'decade';
    case 'century': case 'centuries': case 'c': case 'cent': return 'century';
    case 'millennium': case 'millennia': case 'mil': case 'mils': case 'millenniums': return 'millennium';
    case 'epoch': case 'dow': case 'doy': case 'isodow': case 'isoyear': case 'julian': case 'timezone': case 'timezone_hour': case 'timezone_minute': return u;
  }
  return undefined;
}

/** ISO 8601 week-numbering: [isoYear, isoWeek] of a date given as Julian day. */
function isoWeek(y: number, m: number, d: number): [number, number] {
  const dayn = date2j(y, m, d);
  // Monday of ISO week 1 of year y
  const weekStart = (yy: number): number => {
    const day4 = date2j(yy, 1, 4);
    const dow = (day4 + 1) % 7; // 0=Sunday
    const isoDow = dow === 0 ? 7 : dow;
    return day4 - (isoDow - 1);
  };
  let year = y;
  let start = weekStart(year);
  if (dayn < start) { year--; start = weekStart(year); }
  else {
    const next = weekStart(year + 1);
    if (dayn >= next) { year++; start = next; }
  }
  return [year, Math.floor((dayn - start) / 7) + 1];
}

function unitError(unit: string, typeName: string): SqlError {
  return new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `unit "${unit}" not supported for type ${typeName}`);
}

function unrecognizedUnit(unit: string, typeName: string): SqlError {
  return new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `unit "${unit}" not recognized for type ${typeName}`);
}

/**
 * extract(field from timestamp/timestamptz) as numeric (PostgreSQL 14+ returns numeric).
 * For timestamptz pass the session zone; fields are then local.
 */
export function extractTimestamp(unit: string, ts: bigint, zone?: TimeZone): Numeric {
  const typeName = zone !== undefined ? 'timestamp with time zone' : 'timestamp without time zone';
  const u = canonicalUnit(unit);
  if (u === undefined) throw unrecognizedUnit(unit, typeName);
  if (!isFiniteTimestamp(ts)) {
    const sign = ts === DT_NOEND ? 1 : -1;
    switch (u) {
      case 'epoch': case 'julian': case 'year': case 'isoyear': case 'decade': case 'century': case 'millennium':
        return sign > 0 ? Numeric.POS_INF : Numeric.NEG_INF;
      case 'timezone': case 'timezone_hour': case 'timezone_minute':
        if (zone === undefined) throw unitError(unit, typeName);
    }
    return Numeric.NaN as Numeric;
  }
  let offset = 0;
  let local = ts;
  if (zone !== undefined) { offset = zone.offsetAt(ts); local = ts + BigInt(offset) * USECS_PER_SEC; }
  const f = timestampToFields(local);
  switch (u) {
    case 'microseconds': return Numeric.fromBigInt(BigInt(f.second * 1_000_000 + f.micro));
    case 'milliseconds': return Numeric.of(BigInt(f.second * 1_000_000 + f.micro), 3);
    case 'second': return Numeric.of(BigInt(f.second * 1_000_000 + f.micro), 6);
    case 'minute': return Numeric.fromBigInt(BigInt(f.minute));
    case 'hour': return Numeric.fromBigInt(BigInt(f.hour));
    case 'day': return Numeric.fromBigInt(BigInt(f.day));
    case 'month': return Numeric.fromBigInt(BigInt(f.month));
    case 'quarter': return Numeric.fromBigInt(BigInt(Math.floor((f.month - 1) / 3) + 1));
    case 'week': return Numeric.fromBigInt(BigInt(isoWeek(f.year, f.month, f.day)[1]));
    case 'year': return Numeric.fromBigInt(BigInt(f.year > 0 ? f.year : f.year - 1));
    case 'isoyear': {
      const iy = isoWeek(f.year, f.month, f.day)[0];
      return Numeric.fromBigInt(BigInt(iy > 0 ? iy : iy - 1));
    }
    case 'decade': return Numeric.fromBigInt(BigInt(f.year >= 0 ? Math.floor(f.year / 10) : -Math.floor((8 - (f.year - 1)) / 10)));
    case 'century': return Numeric.fromBigInt(BigInt(f.year > 0 ? Math.floor((f.year + 99) / 100) : -Math.floor((99 - (f.year - 1)) / 100)));
    case 'millennium': return Numeric.fromBigInt(BigInt(f.year > 0 ? Math.floor((f.year + 999) / 1000) : -Math.floor((999 - (f.year - 1)) / 1000)));
    case 'dow': return Numeric.fromBigInt(BigInt((date2j(f.year, f.month, f.day) + 1) % 7));
    case 'isodow': { const d = (date2j(f.year, f.month, f.day) + 1) % 7; return Numeric.fromBigInt(BigInt(d === 0 ? 7 : d)); }
    case 'doy': return Numeric.fromBigInt(BigInt(date2j(f.year, f.month, f.day) - date2j(f.year, 1, 1) + 1));
    case 'julian': {
      const j = BigInt(date2j(f.year, f.month, f.day));
      const t = BigInt(((f.hour * 60 + f.minute) * 60 + f.second)) * USECS_PER_SEC + BigInt(f.micro);
      // julian + time / 86400e6, PG prints with its numeric division scale
      return Numeric.fromBigInt(j).add(Numeric.fromBigInt(t).div(Numeric.fromBigInt(USECS_PER_DAY)));
    }
    case 'epoch': {
      const base = ts - (zone === undefined ? 0n : 0n) + 946_684_800_000_000n;
      return Numeric.of(base, 6);
    }
    case 'timezone':
      if (zone === undefined) throw unitError(unit, typeName);
      return Numeric.fromBigInt(BigInt(offset));
    case 'timezone_hour':
      if (zone === undefined) throw unitError(unit, typeName);
      return Numeric.fromBigInt(BigInt(Math.trunc(offset / 3600)));
    case 'timezone_minute':
      if (zone === undefined) throw unitError(unit, typeName);
      return Numeric.fromBigInt(BigInt(Math.trunc(offset / 60) % 60));
  }
  throw unitError(unit, typeName);
}

/** extract(field from date) as numeric; time fields are errors as in PostgreSQL. */
export function extractDate(unit: string, d: number): Numeric {
  const u = canonicalUnit(unit);
  if (u === undefined) throw unrecognizedUnit(unit, 'date');
  switch (u) {
    case 'microseconds': case 'milliseconds': case 'second': case 'minute': case 'hour':
    case 'timezone': case 'timezone_hour': case 'timezone_minute':
      throw unitError(unit, 'date');
  }
  if (!Number.isFinite(d)) {
    switch (u) {
      case 'epoch': case 'julian': case 'year': case 'isoyear': case 'decade': case 'century': case 'millennium':
        return d > 0 ? Numeric.POS_INF : Numeric.NEG_INF;
    }
    return Numeric.NaN;
  }
  if (u === 'epoch') return Numeric.fromBigInt((BigInt(d) * USECS_PER_DAY + 946_684_800_000_000n) / USECS_PER_SEC);
  if (u === 'julian') return Numeric.fromBigInt(BigInt(d + POSTGRES_EPOCH_JDATE));
  const r = extractTimestamp(unit, BigInt(d) * USECS_PER_DAY);
  return r;
}

/** extract(field from time). */
export function extractTime(unit: string, t: number): Numeric {
  const u = canonicalUnit(unit);
  if (u === undefined) throw unrecognizedUnit(unit, 'time without time zone');
  const sec = Math.floor(t / 1_000_000) % 60;
  const us = t % 1_000_000;
  switch (u) {
    case 'microseconds': return Numeric.fromBigInt(BigInt(sec * 1_000_000 + us));
    case 'milliseconds': return Numeric.of(BigInt(sec * 1_000_000 + us), 3);
    case 'second': return Numeric.of(BigInt(sec * 1_000_000 + us), 6);
    case 'minute': return Numeric.fromBigInt(BigInt(Math.floor(t / 60_000_000) % 60));
    case 'hour': return Numeric.fromBigInt(BigInt(Math.floor(t / 3_600_000_000)));
    case 'epoch': return Numeric.of(BigInt(t), 6);
  }
  throw unitError(unit, 'time without time zone');
}

/** extract(field from interval). */
export function extractInterval(unit: string, iv: Interval): Numeric {
  const u = canonicalUnit(unit);
  if (u === undefined) throw unrecognizedUnit(unit, 'interval');
  const time = iv.micros;
  switch (u) {
    case 'microseconds': return Numeric.fromBigInt(time % 60_000_000n);
    case 'milliseconds': return Numeric.of(time % 60_000_000n, 3);
    case 'second': return Numeric.of(time % 60_000_000n, 6);
    case 'minute': return Numeric.fromBigInt((time / 60_000_000n) % 60n);
    case 'hour': return Numeric.fromBigInt(time / 3_600_000_000n);
    case 'day': return Numeric.fromBigInt(BigInt(iv.days));
    case 'month': return Numeric.fromBigInt(BigInt(iv.months % 12));
    case 'quarter': return Numeric.fromBigInt(BigInt(Math.trunc((iv.months % 12) / 3) + 1));
    case 'year': return Numeric.fromBigInt(BigInt(Math.trunc(iv.months / 12)));
    case 'decade': return Numeric.fromBigInt(BigInt(Math.trunc(iv.months / 120)));
    case 'century': return Numeric.fromBigInt(BigInt(Math.trunc(iv.months / 1200)));
    case 'millennium': return Numeric.fromBigInt(BigInt(Math.trunc(iv.months / 12000)));
    case 'epoch': {
      // secs = months/12 * 365.25 days + months%12 * 30 days + days * 1 day + time
      const years = BigInt(Math.trunc(iv.months / 12));
      const monthsRem = BigInt(iv.months % 12);
      const usecs = years * 31_557_600_000_000n + monthsRem * 30n * USECS_PER_DAY + BigInt(iv.days) * USECS_PER_DAY + time;
      return Numeric.of(usecs, 6);
    }
  }
  throw unitError(unit, 'interval');
}

/** date_trunc(unit, timestamp[, zone]) — for timestamptz pass the zone (truncates local time). */
export function dateTruncTimestamp(unit: string, ts: bigint, zone?: TimeZone): bigint {
  const typeName = zone !== undefined ? 'timestamp with time zone' : 'timestamp without time zone';
  const u = canonicalUnit(unit);
  if (u === undefined || !(TRUNC_UNITS as readonly string[]).includes(u)) {
    if (u === undefined) throw unrecognizedUnit(unit, typeName);
    throw unitError(unit, typeName);
  }
  if (!isFiniteTimestamp(ts)) return ts;
  let local = ts;
  if (zone !== undefined) local = ts + BigInt(zone.offsetAt(ts)) * USECS_PER_SEC;
  const f = timestampToFields(local);
  switch (u) {
    case 'millennium':
      f.year = f.year > 0 ? Math.floor((f.year + 999) / 1000) * 1000 - 999 : -(Math.floor((999 - (f.year - 1)) / 1000) * 1000 - 1) + 1;
      f.month = 1; f.day = 1; f.hour = f.minute = f.second = f.micro = 0; break;
    case 'century':
      f.year = f.year > 0 ? Math.floor((f.year + 99) / 100) * 100 - 99 : -(Math.floor((99 - (f.year - 1)) / 100) * 100 - 1) + 1;
      f.month = 1; f.day = 1; f.hour = f.minute = f.second = f.micro = 0; break;
    case 'decade':
      f.year = f.year > 0 ? Math.floor(f.year / 10) * 10 : -(Math.floor((8 - (f.year - 1)) / 10) * 10) + 1;
      f.month = 1; f.day = 1; f.hour = f.minute = f.second = f.micro = 0; break;
    case 'year': f.month = 1; f.day = 1; f.hour = f.minute = f.second = f.micro = 0; break;
    case 'quarter': f.month = Math.floor((f.month - 1) / 3) * 3 + 1; f.day = 1; f.hour = f.minute = f.second = f.micro = 0; break;
    case 'month': f.day = 1; f.hour = f.minute = f.second = f.micro = 0; break;
    case 'week': {
      const j = date2j(f.year, f.month, f.day);
      const dow = (j + 1) % 7;
      const monday = j - (dow === 0 ? 6 : dow - 1);
      const ymd = j2date(monday);
      f.year = ymd[0]!; f.month = ymd[1]!; f.day = ymd[2]!;
      f.hour = f.minute = f.second = f.micro = 0; break;
    }
    case 'day': f.hour = f.minute = f.second = f.micro = 0; break;
    case 'hour': f.minute = f.second = f.micro = 0; break;
    case 'minute': f.second = f.micro = 0; break;
    case 'second': f.micro = 0; break;
    case 'milliseconds': f.micro = Math.floor(f.micro / 1000) * 1000; break;
    case 'microseconds': break;
  }
  const r = fieldsToTimestamp(f.year, f.month, f.day, f.hour, f.minute, f.second, f.micro);
  if (r === undefined) throw timestampOutOfRange();
  return zone !== undefined ? localToUtc(r, zone) : r;
}

/** date_trunc(unit, interval). */
export function dateTruncInterval(unit: string, iv: Interval): Interval {
  const u = canonicalUnit(unit);
  if (u === undefined) throw unrecognizedUnit(unit, 'interval');
  let months = iv.months;
  let days = iv.days;
  let t = iv.micros;
  switch (u) {
    case 'millennium': months = Math.trunc(months / 12000) * 12000; days = 0; t = 0n; break;
    case 'century': months = Math.trunc(months / 1200) * 1200; days = 0; t = 0n; break;
    case 'decade': months = Math.trunc(months / 120) * 120; days = 0; t = 0n; break;
    case 'year': months = Math.trunc(months / 12) * 12; days = 0; t = 0n; break;
    case 'quarter': months = Math.trunc(months / 3) * 3; days = 0; t = 0n; break;
    case 'month': days = 0; t = 0n; break;
    case 'day': t = 0n; break;
    case 'hour': t = (t / 3_600_000_000n) * 3_600_000_000n; break;
    case 'minute': t = (t / 60_000_000n) * 60_000_000n; break;
    case 'second': t = (t / 1_000_000n) * 1_000_000n; break;
    case 'milliseconds': t = (t / 1000n) * 1000n; break;
    case 'microseconds': break;
    case 'week':
      throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'interval units "week" not supported because months usually have fractional weeks');
    default: throw unitError(unit, 'interval');
  }
  return new Interval(months, days, t);
}

/** Current limitation marker used by the I/O code for DateStyle/IntervalStyle other than ISO/postgres. */
let okDateStyle = 'ISO, MDY';
export function checkStyles(settings?: TypeSettings): void {
  const ds = settings?.dateStyle;
  if (ds !== undefined && ds !== okDateStyle) {
    if (!/^\s*iso\b/i.test(ds)) throw notSupported(`DateStyle "${ds}"`);
    okDateStyle = ds;
  }
  const is = settings?.intervalStyle;
  if (is !== undefined && is !== 'postgres' && is.toLowerCase() !== 'postgres') throw notSupported(`IntervalStyle "${is}"`);
}

