// pg_hba.conf parsing and matching: connection types, lists, keywords, CIDR and address+mask
// for IPv4 and IPv6, first match wins, and configuration errors with their line numbers.
import { describe, expect, it } from 'vitest';
import { SqlError } from '../../src/base/index.js';
import { defaultHbaRules, matchHba, parseHba } from '../../src/wire/index.js';

const conn = (address: string, database = 'db', user = 'u', type: 'host' | 'local' = 'host') =>
  ({ type, database, user, address });

describe('parseHba / matchHba', () => {
  const rules = parseHba(`
    # comment line
    local   all         all                         trust
    host    sales,hr    alice,"bob"  192.168.1.0/24 md5   # trailing comment
    host    all         all          10.1.2.3 255.255.0.0 password
    host    all         all          fe80::/10      scram-sha-256
    host    sameuser    all          0.0.0.0/0      reject
    hostssl all         all          all            trust
    host    all         all          all            scram-sha-256
  `);

  it('parses every rule with its line number', () => {
    expect(rules.map((r) => r.method)).toEqual(
      ['trust', 'md5', 'password', 'scram-sha-256', 'reject', 'trust', 'scram-sha-256']);
    expect(rules[1]?.databases).toEqual(['sales', 'hr']);
    expect(rules[1]?.users).toEqual(['alice', 'bob']);
    expect(rules[0]?.line).toBe(3);
  });

  it('matches local connections only to local rules', () => {
    expect(matchHba(rules, conn('[local]', 'db', 'u', 'local'))?.method).toBe('trust');
  });

  it('matches CIDR ranges, lists and first-match order', () => {
    expect(matchHba(rules, conn('192.168.1.77', 'sales', 'alice'))?.method).toBe('md5');
    expect(matchHba(rules, conn('192.168.1.77', 'sales', 'carol'))?.method).toBe('scram-sha-256');
    expect(matchHba(rules, conn('192.168.2.1', 'hr', 'bob'))?.method).toBe('scram-sha-256');
  });

  it('matches an address with a separate mask', () => {
    expect(matchHba(rules, conn('10.1.200.200'))?.method).toBe('password');
    expect(matchHba(rules, conn('10.2.0.1'))?.method).toBe('scram-sha-256');
  });

  it('matches IPv6 ranges and keeps IPv4 rules away from IPv6 clients', () => {
    expect(matchHba(rules, conn('fe80::1'))?.method).toBe('scram-sha-256');
    expect(matchHba(rules, conn('fe80::1'))?.line).toBe(6);
    expect(matchHba(rules, conn('2001:db8::1', 'u', 'u'))?.line).toBe(9);
  });

  it('applies sameuser and never matches hostssl rules (no TLS)', () => {
    expect(matchHba(rules, conn('8.8.8.8', 'u', 'u'))?.method).toBe('reject');
    expect(matchHba(rules, conn('8.8.8.8', 'x', 'u'))?.line).toBe(9);
  });

  it('skips hostgssenc rules and applies hostnogssenc/hostnossl like host', () => {
    const r = parseHba(`
      hostgssenc   all all all trust
      hostnogssenc a   all all md5
      hostnossl    all all all password
    `);
    expect(matchHba(r, conn('1.2.3.4', 'a'))?.method).toBe('md5');
    expect(matchHba(r, conn('1.2.3.4', 'b'))?.method).toBe('password');
  });

  it('returns undefined when nothing matches', () => {
    const r = parseHba('host all all 127.0.0.1/32 trust');
    expect(matchHba(r, conn('127.0.0.2'))).toBeUndefined();
    expect(matchHba(r, conn('127.0.0.1'))?.method).toBe('trust');
  });

  it('defaults to trusting loopback and local only', () => {
    const d = defaultHbaRules();
    expect(matchHba(d, conn('127.0.0.1'))?.method).toBe('trust');
    expect(matchHba(d, conn('::1'))?.method).toBe('trust');
    expect(matchHba(d, conn('[local]', 'x', 'y', 'local'))?.method).toBe('trust');
    expect(matchHba(d, conn('192.168.0.1'))).toBeUndefined();
  });

  it('reports configuration errors with the line number', () => {
    const bad = (text: string): string => {
      try {
        parseHba(text, 'hba.conf');
      } catch (e) {
        expect(e).toBeInstanceOf(SqlError);
        expect((e as SqlError).code).toBe('F0000');
        return (e as SqlError).message;
      }
      throw new Error('expected a parse error');
    };
    expect(bad('\nhost all all 1.2.3.4/40 trust')).toBe(
      'invalid IP address "1.2.3.4/40" in file "hba.conf" line 2');
    expect(bad('host all all 1.2.3.4/32 ident')).toBe(
      'invalid authentication method "ident" in file "hba.conf" line 1');
    expect(bad('hostx all all 1.2.3.4/32 trust')).toBe(
      'invalid connection type "hostx" in file "hba.conf" line 1');
    expect(bad('host all all')).toBe(
      'end-of-line before authentication method in file "hba.conf" line 1');
    expect(bad('host all all 10.0.0.0 255.0.255.0 trust')).toBe(
      'invalid IP address "10.0.0.0" in file "hba.conf" line 1');
  });
});
