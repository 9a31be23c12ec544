// to_char / to_date / to_timestamp / to_number formatting templates (PostgreSQL's formatting.c),
// for the common patterns: YYYY YYY YY Y CC MM Mon Month Day Dy DD DDD D ID IW WW Q J HH HH12
// HH24 MI SS MS US AM/PM TZ OF, FM/TH modifiers, quoted text; numbers: 9 0 . D , G S MI PL SG FM.
// Unsupported patterns (roman numerals, EEEE, V, ...) raise 0A000.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import { Numeric } from '../types/index.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface DtFields {
  year: number; month: number; day: number; hour: number; minute: number; second: number; micro: number;
  /** Julian day number of the date. */
  julian: number;
  /** UTC offset in seconds (timestamptz), undefined otherwise. */
  offset?: number | undefined;
  tzName?: string | undefined;
  /** For intervals: the total days field (DD prints it unbounded). */
  isInterval?: boolean;
}

// Keywords, longest first within each starting letter group.
const DT_KEYS = [
  'HH24', 'HH12', 'HH', 'MI', 'SS', 'MS', 'US', 'SSSSS', 'SSSS',
  'A.M.', 'a.m.', 'P.M.', 'p.m.', 'AM', 'am', 'PM', 'pm',
  'Y,YYY', 'YYYY', 'YYY', 'YY', 'Y', 'IYYY', 'IYY', 'IY', 'I',
  'MONTH', 'Month', 'month', 'MON', 'Mon', 'mon', 'MM',
  'DAY', 'Day', 'day', 'DY', 'Dy', 'dy', 'DDD', 'DD', 'D', 'ID', 'IDDD',
  'IW', 'WW', 'W', 'Q', 'J', 'CC', 'TZH', 'TZM', 'TZ', 'tz', 'OF',
].sort((a, b) => b.length - a.length);

function pad(n: number, w: number, fm: boolean): string {
  const neg = n < 0;
  const s = String(Math.abs(n));
  const body = fm ? s : s.padStart(w, '0');
  return neg ? '-' + body : body;
}

function ordinal(n: number, upper: boolean): string {
  const m100 = Math.abs(n) % 100, m10 = Math.abs(n) % 10;
  let s = 'th';
  if (m100 < 11 || m100 > 13) s = m10 === 1 ? 'st' : m10 === 2 ? 'nd' : m10 === 3 ? 'rd' : 'th';
  return upper ? s.toUpperCase() : s;
}

function isoYearWeek(f: DtFields): [number, number] {
  const j = f.julian;
  const start = (y: number) => {
    const d4 = julian(y, 1, 4);
    const dow = (d4 + 1) % 7;
    return d4 - ((dow === 0 ? 7 : dow) - 1);
  };
  let y = f.year;
  let s = start(y);
  if (j < s) { y--; s = start(y); } else if (j >= start(y + 1)) { y++; s = start(y); }
  return [y, Math.floor((j - s) / 7) + 1];
}

function isoDisplayYear(f: DtFields): number {
  const y = isoYearWeek(f)[0];
  return y > 0 ? y : 1 - y;
}

export function julian(y: number, m: number, d: number): number {
  if (m > 2) { m += 1; y += 4800; } else { m += 13; y += 4799; }
  const century = Math.floor(y / 100);
  let jd = y * 365 - 32167;
  jd += Math.floor(y / 4) - century + Math.floor(century / 4);
  jd += Math.floor((7834 * m) / 256) + d;
  return jd;
}

function casedName(name: string, key: string, fm: boolean, width: number): string {
  let s = name;
  if (key === key.toUpperCase() && key !== key.toLowerCase()) s = name.toUpperCase();
  else if (key === key.toLowerCase()) s = name.toLowerCase();
  return fm ? s : s.padEnd(width, ' ');
}

/** Formats date/time fields with a to_char template. */
export function formatDateTime(f: DtFields, fmt: string): string {
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i]!;
    if (c === '"') {
      i++;
      while (i < fmt.length && fmt[i] !== '"') {
        if (fmt[i] === '\\' && i + 1 < fmt.length) i++;
        out += fmt[i]!;
        i++;
      }
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < fmt.length && fmt[i + 1] === '"') { out += '"'; i += 2; continue; }
    let fm = false;
    let j = i;
    if (fmt.startsWith('FM', j) || fmt.startsWith('fm', j)) { fm = true; j += 2; }
    const key = DT_KEYS.find((k) => fmt.startsWith(k, j));
    if (key === undefined) {
      out += fmt[i]!;
      i++;
      continue;
    }
    j += key.length;
    let th: string | null = null;
    if (fmt.startsWith('TH', j)) { th = 'TH'; j += 2; } else if (fmt.startsWith('th', j)) { th = 'th'; j += 2; }
    let num: number | null = null;
    let s: string;
    const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
    switch (key) {
      case 'HH': case 'HH12': num = h12; s = pad(h12, 2, fm); break;
      case 'HH24': num = f.hour; s = pad(f.hour, 2, fm); break;
      case 'MI': num = f.minute; s = pad(f.minute, 2, fm); break;
      case 'SS': num = f.second; s = pad(f.second, 2, fm); break;
      case 'MS': num = Math.floor(f.micro / 1000); s = pad(num, 3, fm); break;
      case 'US': num = f.micro; s = pad(f.micro, 6, fm); break;
      case 'SSSS': case 'SSSSS': num = f.hour * 3600 + f.minute * 60 + f.second; s = String(num); break;
      case 'AM': case 'PM': s = f.hour >= 12 ? 'PM' : 'AM'; break;
      case 'am': case 'pm': s = f.hour >= 12 ? 'pm' : 'am'; break;
      case 'A.M.': case 'P.M.': s = f.hour >= 12 ? 'P.M.' : 'A.M.'; break;
      case 'a.m.': case 'p.m.': s = f.hour >= 12 ? 'p.m.' : 'a.m.'; break;
      case 'Y,YYY': { const y = f.year > 0 ? f.year : 1 - f.year; s = `${Math.floor(y / 1000)},${pad(y % 1000, 3, false)}`; break; }
      case 'YYYY': num = f.year > 0 ? f.year : 1 - f.year; s = pad(num, 4, fm); break;
      case 'YYY': num = (f.year > 0 ? f.year : 1 - f.year) % 1000; s = pad(num, 3, fm); break;
      case 'YY': num = (f.year > 0 ? f.year : 1 - f.year) % 100; s = pad(num, 2, fm); break;
      case 'Y': num = (f.year > 0 ? f.year : 1 - f.year) % 10; s = String(num); break;
      case 'IYYY': num = isoDisplayYear(f); s = pad(num, 4, fm); break;
      case 'IYY': num = isoDisplayYear(f) % 1000; s = pad(num, 3, fm); break;
      case 'IY': num = isoDisplayYear(f) % 100; s = pad(num, 2, fm); break;
      case 'I': num = isoDisplayYear(f) % 10; s = String(num); break;
      case 'CC': num = f.year > 0 ? Math.floor((f.year + 99) / 100) : -Math.floor((99 - (f.year - 1)) / 100); s = pad(num, 2, fm); break;
      case 'MONTH': case 'Month': case 'month': s = casedName(MONTHS[f.month - 1]!, key, fm, 9); break;
      case 'MON': case 'Mon': case 'mon': s = casedName(MONTHS[f.month - 1]!.slice(0, 3), key, true, 3); break;
      case 'MM': num = f.month; s = pad(f.month, 2, fm); break;
      case 'DAY': case 'Day': case 'day': s = casedName(DAYS[(f.julian + 1) % 7]!, key, fm, 9); break;
      case 'DY': case 'Dy': case 'dy': s = casedName(DAYS[(f.julian + 1) % 7]!.slice(0, 3), key, true, 3); break;
      case 'DDD': num = f.julian - julian(f.year, 1, 1) + 1; s = pad(num, 3, fm); break;
      case 'IDDD': { const [iy] = isoYearWeek({ ...f }); const st = julian(iy, 1, 4); const dow = (st + 1) % 7; num = f.julian - (st - ((dow === 0 ? 7 : dow) - 1)) + 1; s = pad(num, 3, fm); break; }
      case 'DD': num = f.day; s = pad(f.day, 2, fm); break;
      case 'D': num = ((f.julian + 1) % 7) + 1; s = String(num); break;
      case 'ID': { const d = (f.julian + 1) % 7; num = d === 0 ? 7 : d; s = String(num); break; }
      case 'IW': num = isoYearWeek(f)[1]; s = pad(num, 2, fm); break;
      case 'WW': num = Math.floor((f.julian - julian(f.year, 1, 1)) / 7) + 1; s = pad(num, 2, fm); break;
      case 'W': num = Math.floor((f.day - 1) / 7) + 1; s = String(num); break;
      case 'Q': num = Math.floor((f.month - 1) / 3) + 1; s = String(num); break;
      case 'J': num = f.julian; s = String(num); break;
      case 'TZ': case 'tz': {
        const n = f.tzName ?? (f.offset !== undefined ? offsetName(f.offset) : '');
        s = key === 'tz' ? n.toLowerCase() : n;
        break;
      }
      case 'OF': s = f.offset !== undefined ? offsetName(f.offset) : ''; break;
      case 'TZH': { const o = f.offset ?? 0; s = (o < 0 ? '-' : '+') + pad(Math.floor(Math.abs(o) / 3600), 2, false); break; }
      case 'TZM': { const o = Math.abs(f.offset ?? 0); s = pad(Math.floor(o / 60) % 60, 2, false); break; }
      default: s = key;
    }
    out += s;
    if (th !== null && num !== null) out += ordinal(num, th === 'TH');
    i = j;
  }
  return out;
}

function offsetName(off: number): string {
  const a = Math.abs(off);
  const h = Math.floor(a / 3600), m = Math.floor(a / 60) % 60;
  return (off < 0 ? '-' : '+') + String(h).padStart(2, '0') + (m !== 0 ? ':' + String(m).padStart(2, '0') : '');
}

/** Fields parsed by to_date / to_timestamp. */
export interface ParsedDt {
  year: number; month: number; day: number; hour: number; minute: number; second: number; micro: number;
  offset: number | undefined;
}

function dtParseError(msg: string): SqlError {
  return new SqlError(SQLSTATE.INVALID_DATETIME_FORMAT, msg);
}

/** Parses text with a to_timestamp/to_date template (common patterns; separators lenient). */
export function parseDateTime(text: string, fmt: string): ParsedDt {
  const r: ParsedDt = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0, offset: undefined };
  let pm: boolean | null = null;
  let h12 = false;
  let p = 0;
  let i = 0;
  let yearSet = false;
  const skipSpaces = () => { while (p < text.length && text[p] === ' ') p++; };
  const readInt = (maxLen: number, name: string): number => {
    skipSpaces();
    let s = '';
    if (text[p] === '-' || text[p] === '+') { s += text[p]; p++; }
    while (p < text.length && s.replace(/[-+]/, '').length < maxLen && /[0-9]/.test(text[p]!)) s += text[p++]!;
    if (s === '' || s === '-' || s === '+') {
      throw dtParseError(`invalid value "${text.slice(p, p + maxLen)}" for "${name}"`);
    }
    return parseInt(s, 10);
  };
  const readName = (names: string[], len: number | null, name: string): number => {
    skipSpaces();
    const rest = text.slice(p).toLowerCase();
    for (let k = 0; k < names.length; k++) {
      const n = (len === null ? names[k]! : names[k]!.slice(0, len)).toLowerCase();
      if (rest.startsWith(n)) { p += n.length; return k; }
    }
    throw dtParseError(`invalid value "${text.slice(p, p + (len ?? 9))}" for "${name}"`);
  };
  while (i < fmt.length) {
    const c = fmt[i]!;
    if (c === '"') {
      i++;
      while (i < fmt.length && fmt[i] !== '"') { i++; p++; }
      i++;
      continue;
    }
    let j = i;
    if (fmt.startsWith('FM', j) || fmt.startsWith('fm', j)) j += 2;
    const key = DT_KEYS.find((k) => fmt.startsWith(k, j));
    if (key === undefined) {
      // a separator in the template skips one non-alphanumeric character (or space) of input
      if (p < text.length && !/[A-Za-z0-9]/.test(text[p]!)) p++;
      else if (c === ' ') { /* nothing */ }
      i++;
      continue;
    }
    j += key.length;
    if (fmt.startsWith('TH', j) || fmt.startsWith('th', j)) j += 2;
    switch (key) {
      case 'YYYY': r.year = readInt(key.length === 4 ? 8 : 4, key); yearSet = true; break;
      case 'YYY': r.year = readInt(3, key); if (r.year < 1000) r.year += r.year >= 100 ? 1000 : 2000; yearSet = true; break;
      case 'YY': r.year = readInt(2, key); r.year += r.year < 70 ? 2000 : 1900; yearSet = true; break;
      case 'Y': r.year = 2000 + readInt(1, key); yearSet = true; break;
      case 'MM': r.month = readInt(2, key); break;
      case 'DD': r.day = readInt(2, key); break;
      case 'DDD': { const d = readInt(3, key); r.month = 1; r.day = d; break; }
      case 'HH': case 'HH12': r.hour = readInt(2, key); h12 = true; break;
      case 'HH24': r.hour = readInt(2, key); break;
      case 'MI': r.minute = readInt(2, key); break;
      case 'SS': r.second = readInt(2, key); break;
      case 'MS': { skipSpaces(); const st = p; const v = readInt(3, key); const len = p - st; r.micro += v * 10 ** (3 - len) * 1000; break; }
      case 'US': { skipSpaces(); const st = p; const v = readInt(6, key); const len = p - st; r.micro += v * 10 ** (6 - len); break; }
      case 'Month': case 'MONTH': case 'month': r.month = readName(MONTHS, null, key) + 1; break;
      case 'Mon': case 'MON': case 'mon': r.month = readName(MONTHS, 3, key) + 1; break;
      case 'Day': case 'DAY': case 'day': readName(DAYS, null, key); break;
      case 'Dy': case 'DY': case 'dy': readName(DAYS, 3, key); break;
      case 'AM': case 'PM': case 'am': case 'pm': {
        skipSpaces();
        const t = text.slice(p, p + 2).toLowerCase();
        if (t !== 'am' && t !== 'pm') throw dtParseError(`invalid value "${text.slice(p, p + 2)}" for "${key}"`);
        pm = t === 'pm'; p += 2; break;
      }
      case 'A.M.': case 'P.M.': case 'a.m.': case 'p.m.': {
        skipSpaces();
        const t = text.slice(p, p + 4).toLowerCase();
        if (t !== 'a.m.' && t !== 'p.m.') throw dtParseError(`invalid value "${text.slice(p, p + 4)}" for "${key}"`);
        pm = t === 'p.m.'; p += 4; break;
      }
      case 'J': {
        const jd = readInt(8, key);
        // convert Julian day to y/m/d
        let julianDay = jd + 32044;
        let quad = Math.floor(julianDay / 146097);
        const extra = (julianDay - quad * 146097) * 4 + 3;
        julianDay += 60 + quad * 3 + Math.floor(extra / 146097);
        quad = Math.floor(julianDay / 1461);
        julianDay -= quad * 1461;
        let y = Math.floor((julianDay * 4) / 1461);
        julianDay = (y !== 0 ? ((julianDay + 305) % 365) : ((julianDay + 306) % 366)) + 123;
        y += quad * 4;
        r.year = y - 4800;
        quad = Math.floor((julianDay * 2141) / 65536);
        r.day = julianDay - Math.floor((7834 * quad) / 256);
        r.month = ((quad + 10) % 12) + 1;
        yearSet = true;
        break;
      }
      case 'TZH': { const v = readInt(2, key); r.offset = (r.offset ?? 0) + v * 3600; break; }
      case 'TZM': { const v = readInt(2, key); r.offset = (r.offset ?? 0) + Math.sign(r.offset ?? 1) * v * 60; break; }
      case 'CC': readInt(2, key); break;
      case 'D': case 'ID': case 'Q': case 'W': case 'WW': case 'IW': readInt(2, key); break;
      default:
        throw notSupported(`formatting field "${key}" in to_timestamp`);
    }
    i = j;
  }
  if (h12) {
    if (r.hour < 1 || r.hour > 12) {
      throw new SqlError(SQLSTATE.INVALID_DATETIME_FORMAT, `hour "${r.hour}" is invalid for the 12-hour clock`, {
        hint: 'Use the 24-hour clock, or give an hour between 1 and 12.',
      });
    }
  }
  if (pm !== null) {
    if (pm && r.hour < 12) r.hour += 12;
    else if (!pm && r.hour === 12) r.hour = 0;
  }
  void yearSet;
  if (r.month < 1 || r.month > 12) throw new SqlError(SQLSTATE.DATETIME_FIELD_OVERFLOW, `date/time field value out of range: "${text}"`);
  return r;
}

// ------------------------------------------------------------------ numbers

/** to_char(number, template) for the digit patterns 9 0 . D , G S MI PL SG FM TH. */
export function formatNumber(value: Numeric, fmt: string): string {
  const up = fmt;
  if (/EEEE|RN|rn|V/.test(up)) throw notSupported(`to_char pattern "${fmt}"`);
  let fm = false;
  let intDigits = 0, fracDigits = 0, seenPoint = false, zeroStart = -1;
  let signMode: 'default' | 'S' | 'MI' | 'PL' | 'SG' = 'default';
  let signAtEnd = false;
  let th: string | null = null;
  const tokens: string[] = [];
  for (let i = 0; i < up.length;) {
    if (up.startsWith('FM', i) || up.startsWith('fm', i)) { fm = true; i += 2; continue; }
    if (up.startsWith('TH', i) || up.startsWith('th', i)) { th = up.slice(i, i + 2); i += 2; continue; }
    const two = up.slice(i, i + 2).toUpperCase();
    if (two === 'MI' || two === 'PL' || two === 'SG') {
      signMode = two as 'MI' | 'PL' | 'SG'; signAtEnd = tokens.length > 0; tokens.push(two); i += 2; continue;
    }
    const c = up[i]!;
    if (c === 'S') { signMode = 'S'; signAtEnd = tokens.length > 0; tokens.push('S'); i++; continue; }
    if (c === '9' || c === '0') {
      if (seenPoint) fracDigits++;
      else { if (c === '0' && zeroStart < 0) zeroStart = intDigits; intDigits++; }
      tokens.push(c); i++; continue;
    }
    if (c === '.' || c === 'D' || c === 'd') { seenPoint = true; tokens.push('.'); i++; continue; }
    if (c === ',' || c === 'G' || c === 'g') { tokens.push(','); i++; continue; }
    if (c === 'L' || c === 'l') { tokens.push('L'); i++; continue; }
    tokens.push('lit:' + c); i++;
  }
  const absV = value.abs().round(fracDigits);
  const neg = value.sign() < 0 && !absV.isZero();
  let digits = absV.isFinite() ? absV.toString() : '';
  let [ip, fp] = digits.split('.') as [string, string | undefined];
  fp = (fp ?? '').padEnd(fracDigits, '0');
  if (ip === '0') ip = '';
  const overflow = !absV.isFinite() || ip.length > intDigits;
  // a zero value with no fraction positions still prints one 0
  if (ip === '' && fracDigits === 0 && intDigits > 0 && zeroStart < 0) zeroStart = intDigits - 1;
  // integer part digits right-aligned over the 9/0 positions
  const intSlots: string[] = [];
  for (let k = 0; k < intDigits; k++) {
    const fromRight = intDigits - 1 - k;
    const d = ip.length - 1 - fromRight >= 0 ? ip[ip.length - 1 - fromRight]! : null;
    if (overflow) intSlots.push('#');
    else if (d !== null) intSlots.push(d);
    else if (zeroStart >= 0 && k >= zeroStart) intSlots.push('0');
    else intSlots.push(' ');
  }
  // the last integer position before the point prints 0 when the value is < 1 and a 0 is there
  let out = '';
  let started = false; // a digit has been printed (for group separators)
  let ik = 0, fk = 0;
  let pointDone = false;
  for (const t of tokens) {
    if (t === '9' || t === '0') {
      if (!pointDone) {
        const ch = intSlots[ik++]!;
        if (ch !== ' ') started = true;
        out += ch;
      } else {
        out += overflow ? '#' : fp[fk]!;
        fk++;
      }
    } else if (t === '.') {
      if (fracDigits > 0) out += '.';
      pointDone = true;
    } else if (t === ',') {
      out += started ? ',' : overflow ? ',' : ' ';
    } else if (t === 'S') { if (signAtEnd) out += neg ? '-' : '+'; }
    else if (t === 'MI') out += neg ? '-' : ' ';
    else if (t === 'PL') out += neg ? ' ' : '+';
    else if (t === 'SG') out += neg ? '-' : '+';
    else if (t === 'L') out += ' ';
    else if (t.startsWith('lit:')) out += t.slice(4);
  }
  if (!pointDone && fracDigits === 0) { /* no fraction */ }
  void digits;
  if (signMode === 'default' || signMode === 'PL' || (signMode === 'S' && !signAtEnd)) {
    // the sign goes right before the first printed digit (or the point), a blank when positive;
    // PL prints its '+' where it stands and keeps this default sign position too
    const plFirst = signMode === 'PL' && tokens[0] === 'PL' ? 1 : 0;
    const m = /^( *)/.exec(out.slice(plFirst))!;
    const lead = plFirst + m[1]!.length;
    const sign = neg ? '-' : signMode === 'S' ? '+' : ' ';
    out = out.slice(0, lead) + sign + out.slice(lead);
    if (fm) out = out.replace(/^ +/, '');
  }
  if (fm) {
    out = out.replace(/^ +/, '');
    if (out.startsWith('- ')) out = '-' + out.slice(2).replace(/^ +/, '');
    // FM also drops trailing zeros produced by 9 positions after the point
    if (pointDone) {
      const fracPattern = tokens.slice(tokens.indexOf('.') + 1).filter((t) => t === '9' || t === '0');
      let end = out.length;
      let k = fracPattern.length - 1;
      const numEnd = out.search(/[^0-9.# -]*$/);
      end = numEnd;
      let s = out.slice(0, end);
      while (k >= 0 && fracPattern[k] === '9' && s.endsWith('0')) { s = s.slice(0, -1); k--; }
      out = s + out.slice(end);
    }
  }
  void signAtEnd;
  if (th !== null && !overflow) {
    const n = Number(ip || '0');
    out += ordinal(n, th === 'TH');
  }
  return out;
}

/** to_number(text, template): digits and the decimal point of the input; sign from '-' or '<>'. */
export function parseNumber(text: string, fmt: string): Numeric {
  if (/EEEE|RN|rn|V/.test(fmt)) throw notSupported(`to_number pattern "${fmt}"`);
  const hasD = /[.D]/i.test(fmt.replace(/FM/gi, ''));
  let digits = '';
  let point = -1;
  let neg = false;
  let any = false;
  for (const c of text) {
    if (c >= '0' && c <= '9') { digits += c; any = true; }
    else if (c === '.' && hasD && point < 0) point = digits.length;
    else if (c === '-' || c === '<') neg = true;
  }
  if (!any) {
    throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `invalid input syntax for type numeric: " "`);
  }
  const scale = point < 0 ? 0 : digits.length - point;
  const n = Numeric.of(BigInt(digits), scale);
  return neg ? n.neg() : n;
}
