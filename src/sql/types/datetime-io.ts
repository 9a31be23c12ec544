// Text input and output of date, time, timestamp and timestamptz (DateStyle ISO, MDY field order):
// ISO 8601 forms, month names, BC/AD, AM/PM, numeric and named time zones, 'epoch', 'infinity',
// and typmod precision rounding. PostgreSQL's messages: 22007 syntax, 22008 field/range errors.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import { USECS_PER_DAY, USECS_PER_SEC } from './interval.js';
import {
  DT_NOBEGIN, DT_NOEND, END_DATE, END_TIMESTAMP, MIN_DATE, MIN_TIMESTAMP, POSTGRES_EPOCH_JDATE,
  date2j, daysInMonth, findTimeZone, j2date, localToUtc, sessionZone, timestampToFields,
  type TimeZone, type TypeSettings,
} from './datetime.js';

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};
const WEEKDAYS = new Set(['sun', 'sunday', 'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed', 'wednesday',
  'thu', 'thur', 'thurs', 'thursday', 'fri', 'friday', 'sat', 'saturday']);

type Kind = 'date' | 'time' | 'timestamp' | 'timestamptz';
const TYPE_NAMES: Record<Kind, string> = {
  date: 'date', time: 'time', timestamp: 'timestamp', timestamptz: 'timestamp with time zone',
};

interface Parsed {
  special?: 'infinity' | '-infinity' | 'epoch' | 'now' | 'today' | 'tomorrow' | 'yesterday';
  year: number; month: number; day: number; hasDate: boolean;
  hour: number; minute: number; second: number; micro: number; hasTime: boolean;
  /** Zone offset in seconds east, or a named zone to resolve at the date. */
  tzOffset?: number; tzZone?: TimeZone;
}

function syntaxError(kind: Kind, str: string): SqlError {
  return new SqlError(SQLSTATE.INVALID_DATETIME_FORMAT, `invalid input syntax for type ${TYPE_NAMES[kind]}: "${str}"`);
}
function fieldError(str: string): SqlError {
  return new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, `date/time field value out of range: "${str}"`);
}

const TIME_RE = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d*))?)?(.*)$/;
const OFFSET_RE = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

function parseOffset(tok: string): number | undefined {
  const m = OFFSET_RE.exec(tok);
  if (m === null) return undefined;
  let h = Number(m[2]);
  let mi = Number(m[3] ?? 0);
  const s = Number(m[4] ?? 0);
  // "+0530" style with 3-4 digits and no colon
  if (m[3] === undefined && m[2]!.length > 2) { h = Math.floor(Number(m[2]) / 100); mi = Number(m[2]) % 100; }
  if (h > 15 || mi > 59 || s > 59) return NaN;
  const v = h * 3600 + mi * 60 + s;
  return m[1] === '-' ? -v : v;
}

function fracToMicros(frac: string): number {
  if (frac.length === 0) return 0;
  if (frac.length <= 6) return Number(frac.padEnd(6, '0'));
  const base = Number(frac.slice(0, 6));
  const rest = Number('0.' + frac.slice(6));
  return rest > 0.5 || (rest === 0.5 && base % 2 === 1) ? base + 1 : base;
}

/** Marks a 1-2 digit year; adjusted (70 → 1970, 69 → 2069) at the end unless BC. */
let pendingTwoDigit = false;
function twoDigitYear(y: number, digits: number): number {
  if (digits <= 2) pendingTwoDigit = true;
  return y;
}

function parse(str: string, kind: Kind): Parsed {
  const p: Parsed = { year: 0, month: 0, day: 0, hasDate: false, hour: 0, minute: 0, second: 0, micro: 0, hasTime: false };
  pendingTwoDigit = false;
  let s = str.trim().toLowerCase();
  if (s === '') throw syntaxError(kind, str);
  switch (s) {
    case 'infinity': case '+infinity': p.special = 'infinity'; return p;
    case '-infinity': p.special = '-infinity'; return p;
    case 'epoch': p.special = 'epoch'; return p;
    case 'now': case 'today': case 'tomorrow': case 'yesterday':
      p.special = s; return p;
    case 'allballs':
      p.hasTime = true; return p;
  }
  // ISO "T" separator
  s = s.replace(/^([+-]?\d+-\d+-\d+)t(?=\d)/, '$1 ').replace(/^(\d{8})t(?=\d)/, '$1 ');
  // split zone glued to time ("05+02", "05z") is handled in time parsing; split commas
  const tokens = s.replace(/,/g, ' ').split(/\s+/).filter((t) => t.length > 0);
  let bc = false;
  let pm: boolean | undefined;
  const loose: { v: number; digits: number }[] = [];
  let textMonth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    let m: RegExpExecArray | null;
    if ((m = /^(\d+)([-/.])(\d+)\2(\d+)$/.exec(tok)) !== null && !p.hasDate) {
      const a = m[1]!; const b = m[3]!; const c = m[4]!;
      if (a.length >= 3 || (m[2] !== '/' && Number(a) > 31 && m[2] !== '.')) {
        p.year = Number(a); p.month = Number(b); p.day = Number(c);
        if (a.length <= 2) p.year = twoDigitYear(p.year, a.length);
      } else {
        // MDY
        p.month = Number(a); p.day = Number(b); p.year = twoDigitYear(Number(c), c.length);
      }
      p.hasDate = true;
      continue;
    }
    if ((m = /^(\d+)-([a-z]+)-(\d+)$/.exec(tok)) !== null && !p.hasDate) {
      const mo = MONTHS[m[2]!];
      if (mo === undefined) throw syntaxError(kind, str);
      if (m[1]!.length >= 3) { p.year = Number(m[1]); p.day = Number(m[3]); }
      else { p.day = Number(m[1]); p.year = twoDigitYear(Number(m[3]), m[3]!.length); }
      p.month = mo; p.hasDate = true;
      continue;
    }
    if (/^\d{8}$/.test(tok) && !p.hasDate && loose.length === 0 && textMonth === 0) {
      p.year = Number(tok.slice(0, 4)); p.month = Number(tok.slice(4, 6)); p.day = Number(tok.slice(6));
      p.hasDate = true;
      continue;
    }
    if ((m = /^(\d{2})(\d{2})(\d{2})?(?:\.(\d*))?$/.exec(tok)) !== null && !p.hasTime && (p.hasDate || kind === 'time') && (m[3] !== undefined || kind === 'time')) {
      // ISO 8601 basic time: HHMMSS[.ffffff]
      p.hour = Number(m[1]); p.minute = Number(m[2]); p.second = Number(m[3] ?? 0);
      p.micro = fracToMicros(m[4] ?? '');
      p.hasTime = true;
      continue;
    }
    if ((m = TIME_RE.exec(tok)) !== null && !p.hasTime) {
      p.hour = Number(m[1]); p.minute = Number(m[2]); p.second = Number(m[3] ?? 0);
      p.micro = fracToMicros(m[4] ?? '');
      p.hasTime = true;
      const rest = m[5]!;
      if (rest !== '') {
        if (rest === 'z') p.tzOffset = 0;
        else if (rest === 'am' || rest === 'pm') pm = rest === 'pm';
        else {
          const off = parseOffset(rest);
          if (off === undefined) throw syntaxError(kind, str);
          if (Number.isNaN(off)) throw new SqlError(SQLSTATE.INVALID_TIME_ZONE_DISPLACEMENT_VALUE, `time zone displacement out of range: "${str}"`);
          p.tzOffset = off;
        }
      }
      continue;
    }
    if (/^[+-]/.test(tok) && p.hasTime && p.tzOffset === undefined) {
      const off = parseOffset(tok);
      if (off === undefined) throw syntaxError(kind, str);
      if (Number.isNaN(off)) throw new SqlError(SQLSTATE.INVALID_TIME_ZONE_DISPLACEMENT_VALUE, `time zone displacement out of range: "${str}"`);
      p.tzOffset = off;
      continue;
    }
    if (/^\d+$/.test(tok)) { loose.push({ v: Number(tok), digits: tok.length }); continue; }
    if (/^\d+(st|nd|rd|th)$/.test(tok)) { loose.push({ v: Number(tok.replace(/\D+$/, '')), digits: 2 }); continue; }
    if (tok === 'bc') { bc = true; continue; }
    if (tok === 'ad') continue;
    if (tok === 'am' || tok === 'pm' || tok === 'a.m.' || tok === 'p.m.') { pm = tok[0] === 'p'; continue; }
    if (tok === 'at' || tok === 'on') continue;
    const mo = MONTHS[tok.replace(/\.$/, '')];
    if (mo !== undefined && textMonth === 0 && !p.hasDate) { textMonth = mo; continue; }
    if (WEEKDAYS.has(tok.replace(/\.$/, ''))) continue;
    if (/^[a-z]/.test(tok) && p.tzOffset === undefined && p.tzZone === undefined) {
      if (tok === 'z' || tok === 'zulu' || tok === 'utc' || tok === 'gmt') { p.tzOffset = 0; continue; }
      const z = findTimeZone(tok) ?? findTimeZone(tokens[i]!);
      if (z === undefined || (tok.includes('/') === false && z.fixedOffset === undefined && !/^[a-z]+$/.test(tok))) {
        if (tok.includes('/')) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `time zone "${tok}" not recognized`);
        throw syntaxError(kind, str);
      }
      if (!tok.includes('/') && z.fixedOffset === undefined) {
        // bare words that only Intl knows (e.g. "japan") — accept as zone names
      }
      if (z.fixedOffset !== undefined) p.tzOffset = z.fixedOffset;
      else if (kind === 'time' && !p.hasDate) throw syntaxError(kind, str);
      else p.tzZone = z;
      continue;
    }
    throw syntaxError(kind, str);
  }
  if (textMonth !== 0) {
    // "Jan 8 1999", "8 Jan 1999", "January 8 1999"
    if (loose.length !== 2) throw syntaxError(kind, str);
    const [x, y] = loose as [{ v: number; digits: number }, { v: number; digits: number }];
    p.month = textMonth;
    if (x.digits >= 3 || x.v > 31) { p.year = x.v; p.day = y.v; } else { p.day = x.v; p.year = twoDigitYear(y.v, y.digits); }
    p.hasDate = true;
  } else if (loose.length > 0) {
    throw syntaxError(kind, str);
  }
  if (pm !== undefined) {
    if (!p.hasTime || p.hour > 12 || p.hour === 0) throw fieldError(str);
    if (pm && p.hour < 12) p.hour += 12;
    if (!pm && p.hour === 12) p.hour = 0;
  }
  if (bc) {
    if (!p.hasDate || p.year <= 0) throw fieldError(str);
    p.year = 1 - p.year;
  } else if (pendingTwoDigit && p.hasDate) {
    p.year = p.year < 70 ? p.year + 2000 : p.year + 1900;
  } else if (p.hasDate && p.year === 0) {
    throw fieldError(str);
  }
  if (p.hasDate) {
    if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysInMonth(p.year, p.month)) throw fieldError(str);
  }
  if (p.hasTime) {
    if (p.minute > 59 || p.second > 60 || p.hour > 24 ||
        (p.hour === 24 && (p.minute > 0 || p.second > 0 || p.micro > 0))) throw fieldError(str);
  }
  if (kind !== 'time' && !p.hasDate) throw syntaxError(kind, str);
  if (kind === 'time' && !p.hasTime) throw syntaxError(kind, str);
  return p;
}

/** Rounds microseconds to `precision` fractional digits (half away from zero), as AdjustTimestampForTypmod. */
export function roundMicros(v: bigint, precision: number): bigint {
  if (precision < 0 || precision >= 6) return v;
  const scale = 10n ** BigInt(6 - precision);
  const off = scale / 2n;
  return v >= 0n ? ((v + off) / scale) * scale : -(((-v + off) / scale) * scale);
}

/** Local wall-clock micros of the transaction start in the session zone, for 'now' and friends. */
function relativeLocal(special: string, settings: TypeSettings | undefined): bigint {
  if (settings?.now === undefined) throw notSupported(`date/time input "${special}" without a transaction time`);
  const zone = sessionZone(settings);
  const local = settings.now + BigInt(zone.offsetAt(settings.now)) * USECS_PER_SEC;
  if (special === 'now') return local;
  let day = local / USECS_PER_DAY;
  if (local - day * USECS_PER_DAY < 0n) day -= 1n;
  if (special === 'tomorrow') day += 1n;
  if (special === 'yesterday') day -= 1n;
  return day * USECS_PER_DAY;
}

export function dateIn(str: string, settings?: TypeSettings): number {
  const fast = isoDateDays(str);
  if (fast !== undefined) return fast;
  const p = parse(str, 'date');
  if (p.special === 'infinity') return Infinity;
  if (p.special === '-infinity') return -Infinity;
  if (p.special === 'epoch') return -10957;
  if (p.special !== undefined) {
    const local = relativeLocal(p.special, settings);
    let day = local / USECS_PER_DAY;
    if (local - day * USECS_PER_DAY < 0n) day -= 1n;
    return Number(day);
  }
  const d = date2j(p.year, p.month, p.day) - POSTGRES_EPOCH_JDATE;
  if (d < MIN_DATE || d >= END_DATE) {
    throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, `date out of range: "${str}"`);
  }
  return d;
}

/** Days since 2000-01-01 of a plain `YYYY-MM-DD` (the common COPY/driver form), else undefined. */
function isoDateDays(str: string): number | undefined {
  if (str.length !== 10 || str.charCodeAt(4) !== 45 || str.charCodeAt(7) !== 45) return undefined;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const c = str.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    year = year * 10 + c;
  }
  const m1 = str.charCodeAt(5) - 48, m2 = str.charCodeAt(6) - 48, d1 = str.charCodeAt(8) - 48, d2 = str.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return undefined;
  const month = m1 * 10 + m2, day = d1 * 10 + d2;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
}

export function timeIn(str: string, typmod = -1, settings?: TypeSettings): number {
  const p = parse(str, 'time');
  if (p.special === 'now') {
    let t = relativeLocal('now', settings) % USECS_PER_DAY;
    if (t < 0n) t += USECS_PER_DAY;
    return Number(typmod >= 0 ? roundMicros(t, typmod) : t);
  }
  if (p.special === 'today' || p.special === 'tomorrow' || p.special === 'yesterday') return 0;
  if (p.special !== undefined) throw syntaxError('time', str);
  let t = ((p.hour * 60 + p.minute) * 60 + p.second) * 1_000_000 + p.micro;
  if (typmod >= 0) t = Number(roundMicros(BigInt(t), typmod));
  if (t > 86_400_000_000) throw fieldError(str);
  return t;
}

function timestampFromParsed(p: Parsed, str: string, kind: Kind, zone: TimeZone | undefined, typmod: number, settings?: TypeSettings): bigint {
  if (p.special === 'infinity') return DT_NOEND;
  if (p.special === '-infinity') return DT_NOBEGIN;
  if (p.special === 'epoch') return -946_684_800_000_000n;
  if (p.special !== undefined) {
    if (p.special === 'now' && zone !== undefined) return roundMicros(settings?.now ?? relativeLocal('now', settings), typmod);
    const local = relativeLocal(p.special, settings);
    const r = zone !== undefined ? localToUtc(local, zone) : local;
    return typmod >= 0 ? roundMicros(r, typmod) : r;
  }
  const days = date2j(p.year, p.month, p.day) - POSTGRES_EPOCH_JDATE;
  const time = ((p.hour * 60 + p.minute) * 60 + p.second) * 1_000_000 + p.micro;
  let ts = BigInt(days) * USECS_PER_DAY + BigInt(time);
  if (zone !== undefined) {
    if (p.tzOffset !== undefined) ts -= BigInt(p.tzOffset) * USECS_PER_SEC;
    else ts = localToUtc(ts, p.tzZone ?? zone);
  }
  if (typmod >= 0) ts = roundMicros(ts, typmod);
  if (ts < MIN_TIMESTAMP || ts >= END_TIMESTAMP || days < MIN_DATE - 1 || days > END_DATE) {
    throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, `timestamp out of range: "${str}"`);
  }
  void kind;
  return ts;
}

export function timestampIn(str: string, typmod = -1, settings?: TypeSettings): bigint {
  const p = parse(str, 'timestamp');
  return timestampFromParsed(p, str, 'timestamp', undefined, typmod, settings);
}

export function timestamptzIn(str: string, typmod = -1, settings?: TypeSettings): bigint {
  const p = parse(str, 'timestamptz');
  return timestampFromParsed(p, str, 'timestamptz', sessionZone(settings), typmod, settings);
}

// ---------------------------------------------------------------- output

function pad2(n: number): string { return n < 10 ? '0' + n : String(n); }

function fracOut(micro: number): string {
  if (micro === 0) return '';
  let s = String(micro).padStart(6, '0');
  let end = 6;
  while (s.charCodeAt(end - 1) === 48) end--;
  s = s.slice(0, end);
  return '.' + s;
}

function yearOut(y: number): string {
  const yy = y > 0 ? y : 1 - y;
  return yy < 1000 ? String(yy).padStart(4, '0') : String(yy);
}

const YMD = [0, 0, 0];

export function dateOut(d: number): string {
  if (d === Infinity) return 'infinity';
  if (d === -Infinity) return '-infinity';
  const [y, m, day] = j2date(d + POSTGRES_EPOCH_JDATE, YMD) as [number, number, number];
  const s = `${yearOut(y)}-${pad2(m)}-${pad2(day)}`;
  return y > 0 ? s : s + ' BC';
}

export function timeOut(t: number): string {
  const h = Math.floor(t / 3_600_000_000);
  const mi = Math.floor(t / 60_000_000) % 60;
  const s = Math.floor(t / 1_000_000) % 60;
  return `${pad2(h)}:${pad2(mi)}:${pad2(s)}${fracOut(t % 1_000_000)}`;
}

export function timestampOut(ts: bigint): string {
  if (ts === DT_NOEND) return 'infinity';
  if (ts === DT_NOBEGIN) return '-infinity';
  const f = timestampToFields(ts);
  const s = `${yearOut(f.year)}-${pad2(f.month)}-${pad2(f.day)} ${pad2(f.hour)}:${pad2(f.minute)}:${pad2(f.second)}${fracOut(f.micro)}`;
  return f.year > 0 ? s : s + ' BC';
}

/** Formats a UTC offset PostgreSQL's way: +HH, +HH:MM or +HH:MM:SS. */
export function offsetOut(off: number): string {
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const h = Math.floor(a / 3600);
  const m = Math.floor(a / 60) % 60;
  const s = a % 60;
  let r = sign + pad2(h);
  if (m !== 0 || s !== 0) r += ':' + pad2(m);
  if (s !== 0) r += ':' + pad2(s);
  return r;
}

export function timestamptzOut(ts: bigint, settings?: TypeSettings): string {
  if (ts === DT_NOEND) return 'infinity';
  if (ts === DT_NOBEGIN) return '-infinity';
  const zone = sessionZone(settings);
  const off = zone.offsetAt(ts);
  const f = timestampToFields(ts + BigInt(off) * USECS_PER_SEC);
  const s = `${yearOut(f.year)}-${pad2(f.month)}-${pad2(f.day)} ${pad2(f.hour)}:${pad2(f.minute)}:${pad2(f.second)}${fracOut(f.micro)}${offsetOut(off)}`;
  return f.year > 0 ? s : s + ' BC';
}
