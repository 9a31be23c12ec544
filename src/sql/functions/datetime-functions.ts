// Date/time operators and functions: date/time/timestamp/timestamptz/interval arithmetic,
// now() and friends, date_part/extract, date_trunc, age, make_*, to_char/to_date/to_timestamp,
// justify_*, isfinite and generate_series over timestamps. Calendar math is the types module's.
import { SqlError, SQLSTATE } from '../../base/index.js';
import {
  Interval, Numeric, DT_NOBEGIN, DT_NOEND, checkTimestamp, date2j, dateDiff, datePlusDays, dateAddTime,
  dateToTimestamp, dateTruncInterval, dateTruncTimestamp, daysInMonth, extractDate, extractInterval,
  extractTime, extractTimestamp, fieldsToTimestamp, isFiniteTimestamp, isLeap, localToUtc, timeZoneOrThrow,
  timestampDiff, timestampMinusInterval, timestampPlusInterval, timestampToDate, timestampToFields,
  type TimeZone,
} from '../types/index.js';
import type { Datum } from '../types/index.js';
import type { EvalContext } from './function-def.js';
import { fn, op, srf } from './registry.js';
import { T } from './oids.js';
import { ctxZone } from './text-out.js';
import { formatDateTime, formatNumber, julian, parseDateTime, parseNumber, type DtFields } from './to-char.js';
import { invalidParam } from './errors.js';

const USECS_PER_DAY = 86_400_000_000n;
const UNIX_EPOCH_MICROS = 946_684_800_000_000n;

/** Current wall-clock time as microseconds since 2000-01-01 UTC. */
export function clockMicros(): bigint {
  const ms = performance.timeOrigin + performance.now();
  return BigInt(Math.floor(ms * 1000)) - UNIX_EPOCH_MICROS;
}

function localOf(ts: bigint, zone: TimeZone): { local: bigint; offset: number } {
  const offset = zone.offsetAt(ts);
  return { local: ts + BigInt(offset) * 1_000_000n, offset };
}

function dtFields(local: bigint, offset?: number, tzName?: string): DtFields {
  const f = timestampToFields(local);
  return { ...f, julian: julian(f.year, f.month, f.day), offset, tzName };
}

const abbrevFormatters = new Map<string, Intl.DateTimeFormat | null>();

/** The zone abbreviation to_char's TZ prints (EDT, CET, UTC; else a numeric offset like +03). */
function tzAbbrev(zone: TimeZone, offset: number, utc?: bigint): string {
  if (zone.fixedOffset !== undefined && /^(utc|gmt|z|zulu|etc\/utc|etc\/gmt|ut|universal)$/i.test(zone.name)) return 'UTC';
  if (zone.fixedOffset === undefined && utc !== undefined) {
    let f = abbrevFormatters.get(zone.name);
    if (f === undefined) {
      try {
        f = new Intl.DateTimeFormat('en-US', { timeZone: zone.name, timeZoneName: 'short' });
      } catch {
        f = null;
      }
      abbrevFormatters.set(zone.name, f);
    }
    if (f !== null) {
      const ms = Number(utc / 1000n) + 946_684_800_000;
      const part = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value;
      if (part !== undefined && /^[A-Z]{2,5}$/.test(part)) return part;
    }
  }
  const a = Math.abs(offset);
  const h = Math.floor(a / 3600), m = Math.floor(a / 60) % 60;
  return (offset < 0 ? '-' : '+') + String(h).padStart(2, '0') + (m ? String(m).padStart(2, '0') : '');
}

const DAY_TAB = [
  [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
  [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
];

/** PostgreSQL's timestamp_age over local field values. */
export function age(t1: bigint, t2: bigint): Interval {
  if (!isFiniteTimestamp(t1) || !isFiniteTimestamp(t2)) {
    throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'cannot subtract infinite timestamps');
  }
  const a = timestampToFields(t1), b = timestampToFields(t2);
  let fsec = a.micro - b.micro, sec = a.second - b.second, min = a.minute - b.minute;
  let hour = a.hour - b.hour, mday = a.day - b.day, mon = a.month - b.month, year = a.year - b.year;
  const flip = t1 < t2;
  if (flip) { fsec = -fsec; sec = -sec; min = -min; hour = -hour; mday = -mday; mon = -mon; year = -year; }
  while (fsec < 0) { fsec += 1_000_000; sec--; }
  while (sec < 0) { sec += 60; min--; }
  while (min < 0) { min += 60; hour--; }
  while (hour < 0) { hour += 24; mday--; }
  while (mday < 0) {
    const ref = flip ? a : b;
    mday += DAY_TAB[isLeap(ref.year) ? 1 : 0]![ref.month - 1]!;
    mon--;
  }
  while (mon < 0) { mon += 12; year--; }
  if (flip) { fsec = -fsec; sec = -sec; min = -min; hour = -hour; mday = -mday; mon = -mon; year = -year; }
  const micros = BigInt(((hour * 60 + min) * 60 + sec)) * 1_000_000n + BigInt(fsec);
  return Interval.checked(year * 12 + mon, mday, micros);
}

function timePlus(t: number, iv: Interval, sign: number): number {
  let r = BigInt(t) + BigInt(sign) * iv.micros;
  r -= (r / USECS_PER_DAY) * USECS_PER_DAY;
  if (r < 0n) r += USECS_PER_DAY;
  return Number(r);
}

function dateFieldError(y: number, m: number, d: number): SqlError {
  return new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, `date field value out of range: ${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
}

function makeDate(y: number, m: number, d: number): number {
  if (y === 0) throw dateFieldError(y, m, d);
  const iy = y < 0 ? y + 1 : y;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(iy, m)) throw dateFieldError(y, m, d);
  return date2j(iy, m, d) - 2451545;
}

function makeTimeMicros(h: number, mi: number, sec: number): number {
  if (h < 0 || h > 24 || mi < 0 || mi > 59 || sec < 0 || sec > 60 || Number.isNaN(sec) ||
      (h === 24 && (mi > 0 || sec > 0))) {
    const s = Number.isInteger(sec) ? String(sec).padStart(2, '0') : String(sec);
    throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, `time field value out of range: ${h}:${String(mi).padStart(2, '0')}:${s}`);
  }
  return (h * 3600 + mi * 60) * 1_000_000 + Math.round(sec * 1_000_000);
}

function makeTimestamp(a: Datum[]): bigint {
  const d = makeDate(a[0] as number, a[1] as number, a[2] as number);
  return dateAddTime(d, makeTimeMicros(a[3] as number, a[4] as number, a[5] as number));
}

function* seriesTs(start: bigint, stop: bigint, step: Interval, zone?: TimeZone): Generator<Datum> {
  const sign = step.compare(Interval.ZERO);
  if (sign === 0) throw invalidParam('step size cannot equal zero');
  let t = start;
  while (sign > 0 ? t <= stop : t >= stop) {
    yield t;
    t = timestampPlusInterval(t, step, zone);
  }
}

function timeofday(ctx: EvalContext): string {
  const now = clockMicros();
  const zone = ctxZone(ctx);
  const { local, offset } = localOf(now, zone);
  const f = dtFields(local);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const mons = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${days[(f.julian + 1) % 7]} ${mons[f.month - 1]} ${p2(f.day)} ${p2(f.hour)}:${p2(f.minute)}:${p2(f.second)}.${String(f.micro).padStart(6, '0')} ${f.year} ${tzAbbrev(zone, offset, now)}`;
}

export function registerDatetimeFunctions(): void {
  const D = T.date, TS = T.timestamp, TZ = T.timestamptz, IV = T.interval, TM = T.time, I = T.int4, F = T.float8, S = T.text;
  // ---- operators
  op('+', D, I, D, (a) => datePlusDays(a[0] as number, a[1] as number));
  op('+', I, D, D, (a) => datePlusDays(a[1] as number, a[0] as number));
  op('-', D, I, D, (a) => datePlusDays(a[0] as number, -(a[1] as number)));
  op('-', D, D, I, (a) => dateDiff(a[0] as number, a[1] as number));
  op('+', D, IV, TS, (a) => timestampPlusInterval(dateToTimestamp(a[0] as number), a[1] as Interval));
  op('+', IV, D, TS, (a) => timestampPlusInterval(dateToTimestamp(a[1] as number), a[0] as Interval));
  op('-', D, IV, TS, (a) => timestampMinusInterval(dateToTimestamp(a[0] as number), a[1] as Interval));
  op('+', D, TM, TS, (a) => dateAddTime(a[0] as number, a[1] as number));
  op('+', TM, D, TS, (a) => dateAddTime(a[1] as number, a[0] as number));
  op('+', TS, IV, TS, (a) => timestampPlusInterval(a[0] as bigint, a[1] as Interval));
  op('+', IV, TS, TS, (a) => timestampPlusInterval(a[1] as bigint, a[0] as Interval));
  op('-', TS, IV, TS, (a) => timestampMinusInterval(a[0] as bigint, a[1] as Interval));
  op('+', TZ, IV, TZ, (a, ctx) => timestampPlusInterval(a[0] as bigint, a[1] as Interval, ctxZone(ctx)));
  op('+', IV, TZ, TZ, (a, ctx) => timestampPlusInterval(a[1] as bigint, a[0] as Interval, ctxZone(ctx)));
  op('-', TZ, IV, TZ, (a, ctx) => timestampMinusInterval(a[0] as bigint, a[1] as Interval, ctxZone(ctx)));
  op('-', TS, TS, IV, (a) => timestampDiff(a[0] as bigint, a[1] as bigint));
  op('-', TZ, TZ, IV, (a) => timestampDiff(a[0] as bigint, a[1] as bigint));
  op('+', IV, IV, IV, (a) => (a[0] as Interval).add(a[1] as Interval));
  op('-', IV, IV, IV, (a) => (a[0] as Interval).sub(a[1] as Interval));
  op('-', 0, IV, IV, (a) => (a[0] as Interval).neg());
  op('*', IV, F, IV, (a) => (a[0] as Interval).mul(a[1] as number));
  op('*', F, IV, IV, (a) => (a[1] as Interval).mul(a[0] as number));
  op('/', IV, F, IV, (a) => (a[0] as Interval).div(a[1] as number));
  op('+', TM, IV, TM, (a) => timePlus(a[0] as number, a[1] as Interval, 1));
  op('+', IV, TM, TM, (a) => timePlus(a[1] as number, a[0] as Interval, 1));
  op('-', TM, IV, TM, (a) => timePlus(a[0] as number, a[1] as Interval, -1));
  op('-', TM, TM, IV, (a) => new Interval(0, 0, BigInt((a[0] as number) - (a[1] as number))));
  // cross-type comparisons that need the session zone
  const big = (x: bigint, y: bigint): number => (x < y ? -1 : x > y ? 1 : 0);
  const tsToTz = (ts: bigint, ctx: EvalContext): bigint => (isFiniteTimestamp(ts) ? localToUtc(ts, ctxZone(ctx)) : ts);
  const cmpOps: [string, (c: number) => boolean][] = [
    ['=', (c) => c === 0], ['<>', (c) => c !== 0], ['<', (c) => c < 0], ['>', (c) => c > 0], ['<=', (c) => c <= 0], ['>=', (c) => c >= 0],
  ];
  for (const [sym, test] of cmpOps) {
    op(sym, TS, TZ, T.bool, (a, ctx) => test(big(tsToTz(a[0] as bigint, ctx), a[1] as bigint)), { volatility: 's' });
    op(sym, TZ, TS, T.bool, (a, ctx) => test(big(a[0] as bigint, tsToTz(a[1] as bigint, ctx))), { volatility: 's' });
    op(sym, D, TZ, T.bool, (a, ctx) => test(big(tsToTz(dateToTimestamp(a[0] as number), ctx), a[1] as bigint)), { volatility: 's' });
    op(sym, TZ, D, T.bool, (a, ctx) => test(big(a[0] as bigint, tsToTz(dateToTimestamp(a[1] as number), ctx))), { volatility: 's' });
  }

  // ---- current time
  fn('now', [], TZ, (_a, ctx) => ctx.transactionTimestamp);
  fn('transaction_timestamp', [], TZ, (_a, ctx) => ctx.transactionTimestamp);
  fn('statement_timestamp', [], TZ, (_a, ctx) => ctx.statementTimestamp);
  fn('clock_timestamp', [], TZ, () => clockMicros());
  fn('timeofday', [], S, (_a, ctx) => timeofday(ctx));

  // ---- extract / date_part
  const num = (n: Numeric) => n;
  fn('extract', [S, TS], T.numeric, (a) => num(extractTimestamp(a[0] as string, a[1] as bigint)));
  fn('extract', [S, TZ], T.numeric, (a, ctx) => extractTimestamp(a[0] as string, a[1] as bigint, ctxZone(ctx)));
  fn('extract', [S, D], T.numeric, (a) => extractDate(a[0] as string, a[1] as number));
  fn('extract', [S, TM], T.numeric, (a) => extractTime(a[0] as string, a[1] as number));
  fn('extract', [S, IV], T.numeric, (a) => extractInterval(a[0] as string, a[1] as Interval));
  fn('date_part', [S, TS], F, (a) => extractTimestamp(a[0] as string, a[1] as bigint).toNumber());
  fn('date_part', [S, TZ], F, (a, ctx) => extractTimestamp(a[0] as string, a[1] as bigint, ctxZone(ctx)).toNumber());
  fn('date_part', [S, D], F, (a) => extractTimestamp(a[0] as string, dateToTimestamp(a[1] as number)).toNumber());
  fn('date_part', [S, TM], F, (a) => extractTime(a[0] as string, a[1] as number).toNumber());
  fn('date_part', [S, IV], F, (a) => extractInterval(a[0] as string, a[1] as Interval).toNumber());

  // ---- date_trunc
  fn('date_trunc', [S, TS], TS, (a) => dateTruncTimestamp(a[0] as string, a[1] as bigint));
  fn('date_trunc', [S, TZ], TZ, (a, ctx) => dateTruncTimestamp(a[0] as string, a[1] as bigint, ctxZone(ctx)));
  fn('date_trunc', [S, TZ, S], TZ, (a) => dateTruncTimestamp(a[0] as string, a[1] as bigint, timeZoneOrThrow(a[2] as string)));
  fn('date_trunc', [S, IV], IV, (a) => dateTruncInterval(a[0] as string, a[1] as Interval));

  // ---- age
  fn('age', [TS, TS], IV, (a) => age(a[0] as bigint, a[1] as bigint));
  fn('age', [TS], IV, (a, ctx) => {
    const z = ctxZone(ctx);
    const today = localOf(ctx.transactionTimestamp, z).local;
    return age(timestampToDateStart(today), a[0] as bigint);
  });
  fn('age', [TZ, TZ], IV, (a, ctx) => {
    const z = ctxZone(ctx);
    return age(localOf(a[0] as bigint, z).local, localOf(a[1] as bigint, z).local);
  });
  fn('age', [TZ], IV, (a, ctx) => {
    const z = ctxZone(ctx);
    const today = localOf(ctx.transactionTimestamp, z).local;
    return age(timestampToDateStart(today), localOf(a[0] as bigint, z).local);
  });

  // ---- constructors
  const named = (names: string[], defaults: Datum[] = []): { params: { names: string[]; defaults: Datum[] } } => ({ params: { names, defaults } });
  fn('make_date', [I, I, I], D, (a) => makeDate(a[0] as number, a[1] as number, a[2] as number), named(['year', 'month', 'day']));
  fn('make_time', [I, I, F], TM, (a) => makeTimeMicros(a[0] as number, a[1] as number, a[2] as number), named(['hour', 'min', 'sec']));
  fn('make_timestamp', [I, I, I, I, I, F], TS, (a) => makeTimestamp(a), named(['year', 'month', 'mday', 'hour', 'min', 'sec']));
  fn('make_timestamptz', [I, I, I, I, I, F], TZ, (a, ctx) => checkTimestamp(localToUtc(makeTimestamp(a), ctxZone(ctx))), named(['year', 'month', 'mday', 'hour', 'min', 'sec']));
  fn('make_timestamptz', [I, I, I, I, I, F, S], TZ, (a) => checkTimestamp(localToUtc(makeTimestamp(a), timeZoneOrThrow(a[6] as string))));
  fn('make_interval', [I, I, I, I, I, I, F], IV, (a) => {
    const [y, mo, w, d, h, mi] = a.slice(0, 6) as number[];
    const secs = a[6] as number;
    if (!Number.isFinite(secs)) throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'interval out of range');
    const micros = BigInt(h!) * 3_600_000_000n + BigInt(mi!) * 60_000_000n + BigInt(Math.round(secs * 1e6));
    return Interval.checked(y! * 12 + mo!, w! * 7 + d!, micros);
  }, named(['years', 'months', 'weeks', 'days', 'hours', 'mins', 'secs'], [0, 0, 0, 0, 0, 0, 0]));

  // ---- justify / isfinite
  fn('justify_days', [IV], IV, (a) => (a[0] as Interval).justifyDays());
  fn('justify_hours', [IV], IV, (a) => (a[0] as Interval).justifyHours());
  fn('justify_interval', [IV], IV, (a) => (a[0] as Interval).justifyInterval());
  fn('isfinite', [D], T.bool, (a) => Number.isFinite(a[0] as number));
  fn('isfinite', [TS], T.bool, (a) => isFiniteTimestamp(a[0] as bigint));
  fn('isfinite', [TZ], T.bool, (a) => isFiniteTimestamp(a[0] as bigint));
  fn('isfinite', [IV], T.bool, () => true);

  // ---- to_char / to_date / to_timestamp / to_number
  fn('to_char', [TS, S], S, (a) => {
    const ts = a[0] as bigint;
    if (!isFiniteTimestamp(ts)) return null;
    return formatDateTime(dtFields(ts), a[1] as string);
  });
  fn('to_char', [TZ, S], S, (a, ctx) => {
    const ts = a[0] as bigint;
    if (!isFiniteTimestamp(ts)) return null;
    const z = ctxZone(ctx);
    const { local, offset } = localOf(ts, z);
    return formatDateTime(dtFields(local, offset, tzAbbrev(z, offset, ts)), a[1] as string);
  });
  fn('to_char', [IV, S], S, (a) => {
    const iv = a[0] as Interval;
    const t = iv.micros;
    const f: DtFields = {
      year: Math.trunc(iv.months / 12), month: iv.months % 12, day: iv.days,
      hour: Number(t / 3_600_000_000n), minute: Number((t / 60_000_000n) % 60n),
      second: Number((t / 1_000_000n) % 60n), micro: Number(t % 1_000_000n), julian: 0, isInterval: true,
    };
    return formatDateTime(f, a[1] as string);
  });
  fn('to_char', [T.numeric, S], S, (a) => formatNumber(a[0] as Numeric, a[1] as string));
  fn('to_char', [I, S], S, (a) => formatNumber(Numeric.fromBigInt(BigInt(a[0] as number)), a[1] as string));
  fn('to_char', [T.int8, S], S, (a) => formatNumber(Numeric.fromBigInt(a[0] as bigint), a[1] as string));
  fn('to_char', [F, S], S, (a) => formatNumber(Numeric.fromNumber(a[0] as number), a[1] as string));
  fn('to_char', [T.float4, S], S, (a) => formatNumber(Numeric.fromFloat4(a[0] as number), a[1] as string));
  fn('to_number', [S, S], T.numeric, (a) => parseNumber(a[0] as string, a[1] as string));
  fn('to_date', [S, S], D, (a) => {
    const p = parseDateTime(a[0] as string, a[1] as string);
    return makeDateChecked(p.year, p.month, p.day, a[0] as string);
  });
  fn('to_timestamp', [S, S], TZ, (a, ctx) => {
    const p = parseDateTime(a[0] as string, a[1] as string);
    makeDateChecked(p.year, p.month, p.day, a[0] as string);
    const local = fieldsToTimestamp(p.year, p.month, p.day, p.hour, p.minute, p.second, p.micro);
    if (local === undefined) throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'timestamp out of range');
    if (p.offset !== undefined) return checkTimestamp(local - BigInt(p.offset) * 1_000_000n);
    return checkTimestamp(localToUtc(local, ctxZone(ctx)));
  });
  fn('to_timestamp', [F], TZ, (a) => {
    const x = a[0] as number;
    if (Number.isNaN(x)) throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, 'timestamp cannot be NaN');
    if (x === Infinity) return DT_NOEND;
    if (x === -Infinity) return DT_NOBEGIN;
    const us = Math.round(x * 1e6);
    if (!Number.isFinite(us) || Math.abs(us) > 9.2e18) {
      throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, `timestamp out of range: "${x}"`);
    }
    const r = BigInt(us) - UNIX_EPOCH_MICROS;
    try { return checkTimestamp(r); } catch { throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, `timestamp out of range: "${x}"`); }
  });

  // ---- generate_series over timestamps
  srf('generate_series', [TS, TS, IV], TS, (a) => seriesTs(a[0] as bigint, a[1] as bigint, a[2] as Interval));
  srf('generate_series', [TZ, TZ, IV], TZ, (a, ctx) => seriesTs(a[0] as bigint, a[1] as bigint, a[2] as Interval, ctxZone(ctx)));
}

function makeDateChecked(y: number, m: number, d: number, text: string): number {
  const iy = y <= 0 ? y : y;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(iy, m)) {
    throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, `date/time field value out of range: "${text}"`);
  }
  return date2j(iy, m, d) - 2451545;
}

function timestampToDateStart(local: bigint): bigint {
  return dateToTimestamp(timestampToDate(local));
}
