// Date/time arithmetic, extract, date_trunc and interval arithmetic, against values recorded
// from PostgreSQL 15 (session TimeZone as noted).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OID, textIn, textOut, timestampPlusInterval, timestampMinusInterval, timestampDiff, datePlusDays, dateDiff,
  extractTimestamp, extractDate, extractInterval, dateTruncTimestamp, dateTruncInterval, timeZoneOrThrow,
  castDatum, INTERVAL_MASK, intervalTypmod, type Interval, type SqlType,
} from './index.js';

const T = (oid: number): SqlType => ({ oid, typmod: -1 });
const ts = (s: string) => textIn(T(OID.timestamp), s) as bigint;
const tsOut = (v: bigint) => textOut(T(OID.timestamp), v);
const iv = (s: string) => textIn(T(OID.interval), s) as Interval;
const ivOut = (v: Interval) => textOut(T(OID.interval), v);
const d = (s: string) => textIn(T(OID.date), s) as number;
const NY = { timeZone: 'America/New_York' };
const tz = (s: string) => textIn(T(OID.timestamptz), s, NY) as bigint;
const tzOut = (v: bigint) => textOut(T(OID.timestamptz), v, NY);

describe('timestamp arithmetic', () => {
  it('adds months clamping the day, then days, then time', () => {
    expect(tsOut(timestampPlusInterval(ts('2024-01-31'), iv('1 month')))).toBe('2024-02-29 00:00:00');
    expect(tsOut(timestampPlusInterval(ts('2024-02-29'), iv('1 year')))).toBe('2025-02-28 00:00:00');
    expect(tsOut(timestampMinusInterval(ts('2024-01-31 10:00'), iv('1 mon 1 day 01:00')))).toBe('2023-12-30 09:00:00');
  });
  it('subtracts timestamps into days + time', () => {
    expect(ivOut(timestampDiff(ts('2024-03-01'), ts('2024-01-01 12:00')))).toBe('59 days 12:00:00');
  });
  it('date arithmetic', () => {
    expect(dateDiff(d('2024-03-01'), d('2024-01-01'))).toBe(60);
    expect(textOut(T(OID.date), datePlusDays(d('2024-03-01'), 30))).toBe('2024-03-31');
  });
  it('timestamptz + interval follows the zone across DST (1 day vs 24 hours)', () => {
    const zone = timeZoneOrThrow('America/New_York');
    expect(tzOut(timestampPlusInterval(tz('2024-03-09 12:00-05'), iv('1 day'), zone))).toBe('2024-03-10 12:00:00-04');
    expect(tzOut(timestampPlusInterval(tz('2024-03-09 12:00-05'), iv('24 hours'), zone))).toBe('2024-03-10 13:00:00-04');
    expect(tzOut(dateTruncTimestamp('day', tz('2024-03-10 12:00-04'), zone))).toBe('2024-03-10 00:00:00-05');
  });
  it('casts between date, timestamp and timestamptz use the session zone', () => {
    expect(tzOut(castDatum(ts('2024-07-01 12:00'), T(OID.timestamp), T(OID.timestamptz), false, NY) as bigint)).toBe('2024-07-01 12:00:00-04');
    expect(tsOut(castDatum(tz('2024-07-01 12:00+00'), T(OID.timestamptz), T(OID.timestamp), false, NY) as bigint)).toBe('2024-07-01 08:00:00');
    expect(textOut(T(OID.date), castDatum(tz('2024-07-01 02:00+00'), T(OID.timestamptz), T(OID.date), false, NY))).toBe('2024-06-30');
    expect(tzOut(castDatum(d('2024-07-01'), T(OID.date), T(OID.timestamptz), false, NY) as bigint)).toBe('2024-07-01 00:00:00-04');
  });
});

describe('extract', () => {
  const cases: [string, () => string, string][] = [
    ['epoch from timestamp', () => extractTimestamp('epoch', ts('2024-01-02 03:04:05.5')).toString(), '1704164645.500000'],
    ['dow', () => extractDate('dow', d('2024-01-07')).toString(), '0'],
    ['week', () => extractDate('week', d('2024-12-30')).toString(), '1'],
    ['isoyear', () => extractDate('isoyear', d('2024-12-30')).toString(), '2025'],
    ['doy', () => extractDate('doy', d('2024-12-31')).toString(), '366'],
    ['century', () => extractDate('century', d('2000-01-01')).toString(), '20'],
    ['millennium', () => extractDate('millennium', d('2001-01-01')).toString(), '3'],
    ['decade BC', () => extractDate('decade', d('0005-01-01 BC')).toString(), '-1'],
    ['second', () => extractTimestamp('second', ts('2024-01-02 03:04:05.5')).toString(), '5.500000'],
    ['julian', () => extractTimestamp('julian', ts('2024-01-02 12:00')).toString(), '2460312.50000000000000000000'],
    ['epoch from interval', () => extractInterval('epoch', iv('1 year 2 mons 3 days 04:05:06')).toString(), '37015506.000000'],
    ['hour from interval', () => extractInterval('hour', iv('100:30:00')).toString(), '100'],
    ['timezone', () => extractTimestamp('timezone', tz('2024-07-01'), timeZoneOrThrow('America/New_York')).toString(), '-14400'],
    ['hour from timestamptz', () => extractTimestamp('hour', tz('2024-07-01 00:00+00'), timeZoneOrThrow('America/New_York')).toString(), '20'],
  ];
  for (const [name, f, expected] of cases) it(name, () => expect(f()).toBe(expected));
  it('rejects time fields of a date and unknown units', () => {
    expect(() => extractDate('hour', 0)).toThrow(expect.objectContaining({ code: '0A000', message: 'unit "hour" not supported for type date' }));
    expect(() => extractDate('fortnight', 0)).toThrow(expect.objectContaining({ code: '22023', message: 'unit "fortnight" not recognized for type date' }));
  });
});

describe('date_trunc', () => {
  const cases: [string, string, string][] = [
    ['week', '2024-01-03 10:00', '2024-01-01 00:00:00'],
    ['quarter', '2024-05-03 10:00', '2024-04-01 00:00:00'],
    ['century', '2024-05-03', '2001-01-01 00:00:00'],
    ['millennium', '2024-05-03', '2001-01-01 00:00:00'],
    ['decade', '2024-05-03', '2020-01-01 00:00:00'],
  ];
  for (const [unit, input, expected] of cases) {
    it(`${unit} ${input}`, () => expect(tsOut(dateTruncTimestamp(unit, ts(input)))).toBe(expected));
  }
  it('interval', () => expect(ivOut(dateTruncInterval('hour', iv('3 days 04:05:06')))).toBe('3 days 04:00:00'));
});

describe('interval arithmetic', () => {
  it('multiplies and divides cascading fractions', () => {
    expect(ivOut(iv('1 day').mul(1.5))).toBe('1 day 12:00:00');
    expect(ivOut(iv('1 mon').mul(0.5))).toBe('15 days');
    expect(ivOut(iv('1 mon 1 day').div(3))).toBe('10 days 08:00:00');
    expect(ivOut(iv('7 mons -1 day').mul(1 / 3))).toBe('2 mons 10 days -08:00:00');
    expect(ivOut(iv('3 mons 10 days').mul(7.77))).toBe('1 year 11 mons 87 days');
    expect(ivOut(iv('1 year 2 mons 3 days 04:05:06.789').div(-2.25))).toBe('-6 mons -8 days -01:48:56.379467');
    expect(ivOut(iv('7 mons -1 day').div(-2.25))).toBe('-3 mons -3 days +02:40:00.0288');
    expect(() => iv('1 day').div(0)).toThrow(expect.objectContaining({ code: '22012' }));
  });
  it('compares with 30-day months', () => {
    expect(iv('1 year').compare(iv('360 days'))).toBe(0);
    expect(iv('1 mon').compare(iv('29 days 23:59:59'))).toBe(1);
  });
  it('justify helpers', () => {
    expect(ivOut(iv('1 mon -1 hour').justifyInterval())).toBe('29 days 23:00:00');
    expect(ivOut(iv('50:00:00').justifyHours())).toBe('2 days 02:00:00');
    expect(ivOut(iv('35 days').justifyDays())).toBe('1 mon 5 days');
  });
});

describe("'now', 'today', 'tomorrow', 'yesterday'", () => {
  // transaction time 2024-07-01 02:30:00.123456 UTC, session zone America/New_York (-04)
  const now = textIn(T(OID.timestamptz), '2024-07-01 02:30:00.123456+00') as bigint;
  const s = { timeZone: 'America/New_York', now };
  it('resolve against the transaction time in the session zone', () => {
    expect(textOut(T(OID.timestamptz), textIn(T(OID.timestamptz), 'now', s), s)).toBe('2024-06-30 22:30:00.123456-04');
    expect(textOut(T(OID.timestamptz), textIn(T(OID.timestamptz), 'today', s), s)).toBe('2024-06-30 00:00:00-04');
    expect(textOut(T(OID.timestamp), textIn(T(OID.timestamp), 'tomorrow', s))).toBe('2024-07-01 00:00:00');
    expect(textOut(T(OID.date), textIn(T(OID.date), 'yesterday', s))).toBe('2024-06-29');
    expect(textOut(T(OID.time), textIn(T(OID.time), 'now', s))).toBe('22:30:00.123456');
    expect(textOut(T(OID.timestamp), textIn({ oid: OID.timestamp, typmod: 0 }, ' NOW ', s))).toBe('2024-06-30 22:30:00');
  });
  it('are 0A000 without a transaction time', () => {
    expect(() => textIn(T(OID.timestamptz), 'now')).toThrow(expect.objectContaining({ code: '0A000' }));
  });
});

describe('interval literals with a field range (INTERVAL \'5\' HOUR), recorded from PostgreSQL 15', () => {
  const M = INTERVAL_MASK;
  const cases: [number, string, string][] = [
    [M.YEAR, '5', '5 years'], [M.MONTH, '5', '5 mons'], [M.DAY, '5', '5 days'], [M.HOUR, '5', '05:00:00'],
    [M.MINUTE, '5', '00:05:00'], [M.SECOND, '5', '00:00:05'], [M.YEAR | M.MONTH, '5', '5 mons'],
    [M.DAY | M.HOUR, '5', '05:00:00'], [M.HOUR | M.MINUTE, '5', '00:05:00'], [M.DAY | M.HOUR | M.MINUTE | M.SECOND, '5', '00:00:05'],
    [M.DAY | M.HOUR, '1 2', '1 day 02:00:00'], [M.DAY | M.HOUR, '1 day 3 hours 5 min', '1 day 03:00:00'],
    [M.MINUTE | M.SECOND, '3:20', '00:03:20'], [M.YEAR, '1.5', '1 year'], [M.DAY, '2.5', '2 days'],
  ];
  for (const [range, input, expected] of cases) {
    it(`${input} (range ${range})`, () => {
      const t = { oid: OID.interval, typmod: intervalTypmod(range, 0xffff) };
      expect(textOut(t, textIn(t, input))).toBe(expected);
    });
  }
});

describe('output styles', () => {
  it('only DateStyle ISO and IntervalStyle postgres are supported (0A000 otherwise)', () => {
    expect(textOut(T(OID.date), 0, { dateStyle: 'ISO, DMY' })).toBe('2000-01-01');
    expect(() => textOut(T(OID.date), 0, { dateStyle: 'SQL, DMY' })).toThrow(expect.objectContaining({ code: '0A000' }));
    expect(() => textOut(T(OID.interval), iv('1 day'), { intervalStyle: 'iso_8601' })).toThrow(expect.objectContaining({ code: '0A000' }));
  });
});

describe('date input fast path', () => {
  it('reads YYYY-MM-DD exactly as the general parser does (valid and invalid days)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, day) => {
      const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const viaFast = ((): string => { try { return String(d(s)); } catch (e) { return (e as Error).message; } })();
      // a leading space takes the general parser
      const viaGeneral = ((): string => { try { return String(d(` ${s}`)); } catch (e) { return (e as Error).message.replace(`" ${s}"`, `"${s}"`); } })();
      expect(viaFast).toBe(viaGeneral);
    }), { numRuns: 3000 });
    expect(d('2024-02-29')).toBe(d('2024-2-29'));
    expect(() => d('2023-02-29')).toThrow('date/time field value out of range: "2023-02-29"');
  });
});
