// Date/time built-ins in a time zone with daylight saving time, against PostgreSQL 15 with
// TimeZone = 'America/New_York' (expected texts from psql), plus now()/clock functions.
import { describe, expect, it } from 'vitest';
import './index.js';
import { runFn, runOp, u } from './test-support.js';

const NY = { TimeZone: 'America/New_York' };
const tz = (s: string) => [s, 1184] as const;
const iv = (s: string) => [s, 1186] as const;

describe('timestamptz functions in America/New_York', () => {
  it('adds days across the DST change in local time, hours in absolute time', () => {
    expect(runOp('+', [tz('2024-03-09 12:00+00'), iv('1 day')], NY)).toBe('2024-03-10 07:00:00-04');
    expect(runOp('+', [tz('2024-03-09 12:00+00'), iv('24 hours')], NY)).toBe('2024-03-10 08:00:00-04');
  });
  it('date_trunc, extract and to_char use local time', () => {
    expect(runFn('date_trunc', [u('day'), tz('2024-03-10 12:00+00')], NY)).toBe('2024-03-10 00:00:00-05');
    expect(runFn('extract', [u('hour'), tz('2024-03-10 12:00+00')], NY)).toBe('8');
    expect(runFn('to_char', [tz('2024-03-10 12:00+00'), u('YYYY-MM-DD HH24:MI TZ OF')], NY)).toBe('2024-03-10 08:00 EDT -04');
  });
  it('age of timestamptz values', () => {
    expect(runFn('age', [tz('2024-03-10 12:00+00'), tz('2024-01-01 00:00+00')], NY)).toBe('2 mons 9 days 13:00:00');
  });
  it('compares timestamp with timestamptz in the session zone', () => {
    expect(runOp('=', [['2024-03-10 08:00', 1114], tz('2024-03-10 12:00+00')], NY)).toBe('t');
  });
  it('builds timestamptz values from local fields', () => {
    expect(runFn('make_timestamptz', [['2024', 23], ['7', 23], ['1', 23], ['12', 23], ['0', 23], ['0', 701]], NY)).toBe('2024-07-01 12:00:00-04');
    expect(runFn('to_timestamp', [u('2024-07-01 12:00'), u('YYYY-MM-DD HH24:MI')], NY)).toBe('2024-07-01 12:00:00-04');
  });
  it('generate_series steps by local days', () => {
    expect(runFn('generate_series', [tz('2024-03-09 00:00-05'), tz('2024-03-11 00:00-04'), iv('1 day')], NY)).toEqual([
      '2024-03-09 00:00:00-05', '2024-03-10 00:00:00-05', '2024-03-11 00:00:00-04',
    ]);
  });
});

describe('current time functions', () => {
  it('now() and transaction_timestamp() are the transaction start', () => {
    expect(runFn('now', [])).toBe('2024-03-05 12:34:56.789+00');
    expect(runFn('transaction_timestamp', [])).toBe('2024-03-05 12:34:56.789+00');
    expect(runFn('statement_timestamp', [])).toBe('2024-03-05 12:34:56.789+00');
  });
  it('clock_timestamp() reads the wall clock', () => {
    const t = runFn('clock_timestamp', []) as string;
    const year = Number(t.slice(0, 4));
    expect(year).toBe(new Date().getUTCFullYear());
  });
  it('timeofday() prints the wall clock as text', () => {
    expect(runFn('timeofday', [])).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4} UTC$/);
  });
  it('age(timestamp) counts from midnight of the current date', () => {
    expect(runFn('age', [['2024-03-01 06:00', 1114]])).toBe('3 days 18:00:00');
  });
});
