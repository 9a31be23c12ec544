// Text input and output of interval: PostgreSQL's "postgres" IntervalStyle output, input in the
// postgres/verbose forms ('1 year 2 mons 3 days 04:05:06', '@ 1 hour ago', '1-2', '1 2:03:04'),
// ISO 8601 designators ('P1Y2M3DT4H5M6S'), fractional units, and interval typmods (range, precision).
import { SqlError, SQLSTATE } from '../../base/index.js';
import { Interval } from './interval.js';
import { roundMicros } from './datetime-io.js';

function syntaxError(str: string): SqlError {
  return new SqlError(SQLSTATE.INVALID_DATETIME_FORMAT, `invalid input syntax for type interval: "${str}"`);
}
function rangeError(str: string): SqlError {
  return new SqlError(SQLSTATE.INTERVAL_FIELD_OVERFLOW, `interval field value out of range: "${str}"`);
}

type Unit = 'us' | 'ms' | 's' | 'min' | 'h' | 'd' | 'w' | 'mon' | 'y' | 'dec' | 'c' | 'mil';

function unitOf(word: string): Unit | undefined {
  switch (word) {
    case 'microsecond': case 'microseconds': case 'us': case 'usec': case 'usecs': case 'useconds': case 'usecond': return 'us';
    case 'millisecond': case 'milliseconds': case 'ms': case 'msec': case 'msecs': case 'mseconds': case 'msecond': return 'ms';
    case 'second': case 'seconds': case 's': case 'sec': case 'secs': return 's';
    case 'minute': case 'minutes': case 'm': case 'min': case 'mins': return 'min';
    case 'hour': case 'hours': case 'h': case 'hr': case 'hrs': return 'h';
    case 'day': case 'days': case 'd': return 'd';
    case 'week': case 'weeks': case 'w': return 'w';
    case 'month': case 'months': case 'mon': case 'mons': return 'mon';
    case 'year': case 'years': case 'y': case 'yr': case 'yrs': return 'y';
    case 'decade': case 'decades': case 'dec': case 'decs': return 'dec';
    case 'century': case 'centuries': case 'c': case 'cent': return 'c';
    case 'millennium': case 'millennia': case 'mil': case 'mils': case 'millenniums': return 'mil';
  }
  return undefined;
}

class Acc {
  months = 0;
  days = 0;
  micros = 0;
  /** Exact integer part of the time (whole units without fractions). */
  exact = 0n;
  add(unit: Unit, value: number): void {
    const ip = Math.trunc(value);
    const frac = value - ip;
    if (frac === 0 && Number.isSafeInteger(value)) {
      switch (unit) {
        case 'us': this.exact += BigInt(value); return;
        case 's': this.exact += BigInt(value) * 1_000_000n; return;
        case 'min': this.exact += BigInt(value) * 60_000_000n; return;
        case 'h': this.exact += BigInt(value) * 3_600_000_000n; return;
      }
    }
    switch (unit) {
      case 'us': this.micros += value; break;
      case 'ms': this.micros += value * 1000; break;
      case 's': this.micros += value * 1e6; break;
      case 'min': this.micros += value * 6e7; break;
      case 'h': this.micros += value * 3.6e9; break;
      case 'd': this.days += ip; this.fracDays(frac); break;
      case 'w': this.days += ip * 7; this.fracDays(frac * 7); break;
      case 'mon': this.months += ip; this.fracDays(frac * 30); break;
      case 'y': this.months += ip * 12 + Math.round(frac * 12); break;
      case 'dec': this.months += ip * 120 + Math.round(frac * 120); break;
      case 'c': this.months += ip * 1200 + Math.round(frac * 1200); break;
      case 'mil': this.months += ip * 12000 + Math.round(frac * 12000); break;
    }
  }
  fracDays(f: number): void {
    if (f === 0) return;
    const d = Math.trunc(f);
    this.days += d;
    this.micros += (f - d) * 86_400e6;
  }
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

const TIME_RE = /^([+-]?)(\d+):(\d+)(?::(\d+)(?:\.(\d*))?)?$/;

function parseTime(tok: string): bigint | undefined {
  const m = TIME_RE.exec(tok);
  if (m === null) return undefined;
  const frac = m[5] ?? '';
  const us = frac === '' ? 0 : roundHalfEven(Number('0.' + frac) * 1e6);
  const v = (BigInt(m[2]!) * 3600n + BigInt(m[3]!) * 60n + BigInt(m[4] ?? 0)) * 1_000_000n + BigInt(us);
  return m[1] === '-' ? -v : v;
}

function parseIso(s: string, str: string): Acc {
  const acc = new Acc();
  const m = /^p(?:([-+\d.]+y)?([-+\d.]+m)?([-+\d.]+w)?([-+\d.]+d)?)?(?:t([-+\d.]+h)?([-+\d.]+m)?([-+\d.]+s)?)?$/.exec(s);
  if (m === null || s === 'p' || s.endsWith('t')) throw syntaxError(str);
  const num = (g: string | undefined): number => {
    if (g === undefined) return 0;
    const v = Number(g.slice(0, -1));
    if (Number.isNaN(v)) throw syntaxError(str);
    return v;
  };
  acc.add('y', num(m[1])); acc.add('mon', num(m[2])); acc.add('w', num(m[3])); acc.add('d', num(m[4]));
  acc.add('h', num(m[5])); acc.add('min', num(m[6])); acc.add('s', num(m[7]));
  return acc;
}

/** interval_in (without typmod), then applyIntervalTypmod. */
export function intervalIn(str: string, typmod = -1): Interval {
  let s = str.trim().toLowerCase();
  if (s === '') throw syntaxError(str);
  // with a field range (INTERVAL '5' HOUR), a bare number is in the range's smallest field
  const range = typmod >= 0 ? (typmod >> 16) & 0x7fff : INTERVAL_FULL_RANGE;
  const bareUnit: Unit = range === INTERVAL_FULL_RANGE ? 's' : smallestField(range);
  let acc: Acc;
  let ago = false;
  if (s.startsWith('p')) {
    acc = parseIso(s, str);
  } else {
    acc = new Acc();
    if (s.startsWith('@')) s = s.slice(1).trim();
    const tokens = s.split(/\s+/).filter((t) => t !== '');
    if (tokens.length === 0) throw syntaxError(str);
    const seen = new Set<Unit | 'time'>();
    let sawAny = false;
    for (let i = 0; i < tokens.length; i++) {
      let tok = tokens[i]!;
      if (tok === 'ago') {
        if (i !== tokens.length - 1 || !sawAny) throw syntaxError(str);
        ago = true;
        continue;
      }
      const mmss = range === (INTERVAL_MASK.MINUTE | INTERVAL_MASK.SECOND) ? /^([+-]?)(\d+):(\d+(?:\.\d*)?)$/.exec(tok) : null;
      const t = mmss !== null
        ? (() => { const v = BigInt(mmss[2]!) * 60_000_000n + BigInt(Math.round(Number(mmss[3]) * 1e6)); return mmss[1] === '-' ? -v : v; })()
        : parseTime(tok);
      if (t !== undefined) {
        if (seen.has('time')) throw syntaxError(str);
        seen.add('time');
        acc.exact += t;
        sawAny = true;
        continue;
      }
      let ym = /^([+-]?)(\d+)-(\d+)$/.exec(tok);
      if (ym !== null) {
        const v = Number(ym[2]) * 12 + Number(ym[3]);
        acc.months += ym[1] === '-' ? -v : v;
        sawAny = true;
        continue;
      }
      // number, possibly with glued unit ("5days", "1h")
      const nm = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z]*)$/.exec(tok);
      if (nm === null) throw syntaxError(str);
      const value = Number(nm[1]);
      let unitWord = nm[2]!;
      if (unitWord === '') {
        const next = tokens[i + 1];
        if (next !== undefined && unitOf(next) !== undefined) { unitWord = next; i++; }
        else if (next !== undefined && (parseTime(next) !== undefined || (range !== INTERVAL_FULL_RANGE && /^[+-]?\d+(\.\d*)?$/.test(next))) && !seen.has('d')) {
          // "1 2:03:04": days then time
          acc.add('d', value); seen.add('d'); sawAny = true;
          continue;
        }
      }
      let unit: Unit | undefined;
      if (unitWord === '') unit = bareUnit;
      else unit = unitOf(unitWord);
      if (unit === undefined) throw syntaxError(str);
      if (seen.has(unit)) throw syntaxError(str);
      seen.add(unit);
      acc.add(unit, value);
      sawAny = true;
      tok = '';
    }
    if (!sawAny) throw syntaxError(str);
  }
  const fr = roundHalfEven(acc.micros);
  if (!Number.isFinite(fr) || Math.abs(fr) > 9.3e18) throw rangeError(str);
  let micros = acc.exact + BigInt(fr);
  let months = acc.months;
  let days = acc.days;
  if (ago) { micros = -micros; months = -months; days = -days; }
  if (micros > 9223372036854775807n || micros < -9223372036854775808n || months > 2147483647 || months < -2147483648 || days > 2147483647 || days < -2147483648) {
    throw rangeError(str);
  }
  const iv = new Interval(months === 0 ? 0 : months, days === 0 ? 0 : days, micros);
  return typmod >= 0 ? applyIntervalTypmod(iv, typmod) : iv;
}

function smallestField(range: number): Unit {
  const M = INTERVAL_MASK;
  if (range & M.SECOND) return 's';
  if (range & M.MINUTE) return 'min';
  if (range & M.HOUR) return 'h';
  if (range & M.DAY) return 'd';
  if (range & M.MONTH) return 'mon';
  return 'y';
}

// interval typmod: (range mask << 16) | precision (0xFFFF = unspecified)
export const INTERVAL_FULL_RANGE = 0x7fff;
export const INTERVAL_FULL_PRECISION = 0xffff;
export const INTERVAL_MASK = {
  MONTH: 1 << 1, YEAR: 1 << 2, DAY: 1 << 3, HOUR: 1 << 10, MINUTE: 1 << 11, SECOND: 1 << 12,
} as const;

export function intervalTypmod(range: number, precision: number): number {
  return ((range & 0x7fff) << 16) | (precision & 0xffff);
}

/** AdjustIntervalForTypmod: truncates to the declared fields and rounds to the precision. */
export function applyIntervalTypmod(iv: Interval, typmod: number): Interval {
  if (typmod < 0) return iv;
  const range = (typmod >> 16) & 0x7fff;
  const precision = typmod & 0xffff;
  const M = INTERVAL_MASK;
  let months = iv.months;
  let days = iv.days;
  let t = iv.micros;
  if (range !== INTERVAL_FULL_RANGE) {
    if (range === M.YEAR) { months = Math.trunc(months / 12) * 12; days = 0; t = 0n; }
    else if (range === M.MONTH || range === (M.YEAR | M.MONTH)) { days = 0; t = 0n; }
    else if (range === M.DAY) { t = 0n; }
    else if (range === M.HOUR || range === (M.DAY | M.HOUR)) { t = (t / 3_600_000_000n) * 3_600_000_000n; }
    else if (range === M.MINUTE || range === (M.HOUR | M.MINUTE) || range === (M.DAY | M.HOUR | M.MINUTE)) {
      t = (t / 60_000_000n) * 60_000_000n;
    }
  }
  if (precision !== INTERVAL_FULL_PRECISION && precision < 6) t = roundMicros(t, precision);
  return months === iv.months && days === iv.days && t === iv.micros ? iv : new Interval(months, days, t);
}

function part(out: string[], value: number, unit: string, state: { zero: boolean; before: boolean }): void {
  if (value === 0) return;
  out.push(`${state.zero ? '' : ' '}${state.before && value > 0 ? '+' : ''}${value} ${unit}${value !== 1 ? 's' : ''}`);
  state.before = value < 0;
  state.zero = false;
}

/** PostgreSQL's IntervalStyle 'postgres' output. */
export function intervalOut(iv: Interval): string {
  const years = Math.trunc(iv.months / 12);
  const mons = iv.months % 12;
  const out: string[] = [];
  const state = { zero: true, before: false };
  part(out, years, 'year', state);
  part(out, mons + 0, 'mon', state);
  part(out, iv.days, 'day', state);
  const t = iv.micros;
  if (state.zero || t !== 0n) {
    const neg = t < 0n;
    const a = neg ? -t : t;
    const hours = a / 3_600_000_000n;
    const min = Number((a / 60_000_000n) % 60n);
    const sec = Number((a / 1_000_000n) % 60n);
    const us = Number(a % 1_000_000n);
    const h = hours < 10n ? '0' + hours.toString() : hours.toString();
    let s = `${state.zero ? '' : ' '}${neg ? '-' : state.before ? '+' : ''}${h}:${min < 10 ? '0' : ''}${min}:${sec < 10 ? '0' : ''}${sec}`;
    if (us !== 0) s += '.' + String(us).padStart(6, '0').replace(/0+$/, '');
    out.push(s);
  }
  return out.join('');
}
