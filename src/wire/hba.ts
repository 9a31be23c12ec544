// Host-based authentication rules in pg_hba.conf form: parsing the file and choosing, for a
// connection (type, database, user, client address), the first matching rule and its method
// (trust, reject, password, md5, scram-sha-256). hostssl/hostgssenc rules never match (no TLS or
// GSS encryption). Addresses: CIDR (IPv4/IPv6), address + mask, all, samehost, samenet.
import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { SqlError, SQLSTATE } from '../base/index.js';

export type HbaMethod = 'trust' | 'reject' | 'password' | 'md5' | 'scram-sha-256';
export type HbaConnType =
  'local' | 'host' | 'hostssl' | 'hostnossl' | 'hostgssenc' | 'hostnogssenc';

export interface HbaRule {
  type: HbaConnType;
  /** Database names or keywords (all, sameuser, samerole); lowercase keywords. */
  databases: string[];
  /** User names or 'all'. */
  users: string[];
  /** Address matcher; undefined for local rules. */
  address: HbaAddress | undefined;
  method: HbaMethod;
  /** 1-based line number in the file (0 for built-in rules). */
  line: number;
}

export type HbaAddress =
  | { kind: 'all' }
  | { kind: 'samehost' }
  | { kind: 'samenet' }
  | { kind: 'cidr'; family: 'ipv4' | 'ipv6'; network: string; prefix: number; list: BlockList };

/** The rules used when no file is given: trust local and loopback connections only. */
export function defaultHbaRules(): HbaRule[] {
  return parseHba([
    'local all all trust',
    'host all all 127.0.0.1/32 trust',
    'host all all ::1/128 trust',
  ].join('\n'));
}

export function loadHbaFile(path: string): HbaRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SqlError(SQLSTATE.CONFIG_FILE_ERROR,
      `could not open configuration file "${path}": ${(e as Error).message}`);
  }
  return parseHba(text, path);
}

const METHODS = new Set<string>(['trust', 'reject', 'password', 'md5', 'scram-sha-256']);
const CONN_TYPES = new Set<string>(
  ['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc']);

/** Splits a line into fields, honouring double quotes and stopping at '#'. */
function tokenize(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] ?? '';
    if (ch === '#') break;
    if (/\s/.test(ch)) { i++; continue; }
    let tok = '';
    let quoted = false;
    while (i < line.length) {
      const c = line[i] ?? '';
      if (c === '"') { quoted = !quoted; i++; continue; }
      if (!quoted && (/\s/.test(c) || c === '#')) break;
      tok += c;
      i++;
    }
    out.push(tok);
  }
  return out;
}

export function parseHba(text: string, fileName = 'pg_hba.conf'): HbaRule[] {
  const rules: HbaRule[] = [];
  const lines = text.split(/\r?\n/);
  for (let idx = 0; idx < lines.length; idx++) {
    const lineNo = idx + 1;
    const fields = tokenize(lines[idx] ?? '');
    if (fields.length === 0) continue;
    const fail = (msg: string): never => {
      throw new SqlError(SQLSTATE.CONFIG_FILE_ERROR,
        `${msg} in file "${fileName}" line ${lineNo}`);
    };
    const type = fields[0] ?? '';
    if (!CONN_TYPES.has(type)) fail(`invalid connection type "${type}"`);
    const isLocal = type === 'local';
    const need = isLocal ? 4 : 5;
    if (fields.length < need) fail('end-of-line before authentication method');
    const databases = (fields[1] ?? '').split(',').filter((s) => s !== '');
    const users = (fields[2] ?? '').split(',').filter((s) => s !== '');
    if (databases.length === 0) fail('end-of-line before database specification');
    if (users.length === 0) fail('end-of-line before role specification');
    for (const u of users) {
      if (u.startsWith('+') || u.startsWith('@')) fail(`unsupported role specification "${u}"`);
    }
    for (const d of databases) {
      if (d.startsWith('@')) fail(`unsupported database specification "${d}"`);
    }
    let address: HbaAddress | undefined;
    let methodIdx = 3;
    if (!isLocal) {
      const addr = fields[3] ?? '';
      const parsed = parseAddress(addr, fields[4]);
      if (parsed === undefined) fail(`invalid IP address "${addr}"`);
      address = parsed?.address;
      methodIdx = parsed?.usedMask === true ? 5 : 4;
    }
    const method = fields[methodIdx];
    if (method === undefined) fail('end-of-line before authentication method');
    if (!METHODS.has(method ?? '')) fail(`invalid authentication method "${method}"`);
    rules.push({
      type: type as HbaConnType,
      databases,
      users,
      address,
      method: method as HbaMethod,
      line: lineNo,
    });
  }
  return rules;
}

function parseAddress(
  addr: string,
  maybeMask: string | undefined,
): { address: HbaAddress; usedMask: boolean } | undefined {
  if (addr === 'all') return { address: { kind: 'all' }, usedMask: false };
  if (addr === 'samehost') return { address: { kind: 'samehost' }, usedMask: false };
  if (addr === 'samenet') return { address: { kind: 'samenet' }, usedMask: false };
  const slash = addr.indexOf('/');
  if (slash >= 0) {
    const ip = addr.slice(0, slash);
    const prefixText = addr.slice(slash + 1);
    const fam = isIP(ip);
    if (fam === 0 || !/^\d+$/.test(prefixText)) return undefined;
    const prefix = Number(prefixText);
    if (prefix > (fam === 4 ? 32 : 128)) return undefined;
    return { address: cidr(ip, fam, prefix), usedMask: false };
  }
  const fam = isIP(addr);
  if (fam === 0) return undefined;
  if (maybeMask === undefined || isIP(maybeMask) !== fam) return undefined;
  const prefix = maskToPrefix(maybeMask);
  if (prefix === undefined) return undefined;
  return { address: cidr(addr, fam, prefix), usedMask: true };
}

function cidr(network: string, fam: number, prefix: number): HbaAddress {
  const family = fam === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { kind: 'cidr', family, network, prefix, list };
}

function maskToPrefix(mask: string): number | undefined {
  const bits: number[] = [];
  if (isIP(mask) === 4) {
    for (const part of mask.split('.')) {
      const n = Number(part);
      for (let b = 7; b >= 0; b--) bits.push((n >> b) & 1);
    }
  } else {
    for (const group of expandIpv6(mask)) {
      for (let b = 15; b >= 0; b--) bits.push((group >> b) & 1);
    }
  }
  const ones = bits.indexOf(0) < 0 ? bits.length : bits.indexOf(0);
  if (bits.slice(ones).some((b) => b === 1)) return undefined;
  return ones;
}

/** The eight 16-bit groups of an IPv6 address (already validated by isIP). */
function expandIpv6(addr: string): number[] {
  const [headText, tailText] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const parse = (t: string | undefined): number[] =>
    t === undefined || t === '' ? [] : t.split(':').map((g) => parseInt(g, 16));
  const head = parse(headText);
  const tail = parse(tailText);
  const zeros = new Array<number>(Math.max(0, 8 - head.length - tail.length)).fill(0);
  return [...head, ...zeros, ...tail];
}

/** A client address as Node reports it, with IPv4-mapped IPv6 turned into IPv4. */
export function normalizeAddress(addr: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  return m?.[1] ?? addr;
}

export interface HbaConnection {
  type: 'local' | 'host';
  database: string;
  user: string;
  /** Client IP address (normalized); ignored for local connections. */
  address: string;
}

function addressMatches(a: HbaAddress, clientAddr: string): boolean {
  const fam = isIP(clientAddr);
  if (fam === 0) return false;
  switch (a.kind) {
    case 'all':
      return true;
    case 'cidr': {
      if ((fam === 4) !== (a.family === 'ipv4')) return false;
      return a.list.check(clientAddr, a.family);
    }
    case 'samehost':
    case 'samenet': {
      for (const infos of Object.values(networkInterfaces())) {
        for (const info of infos ?? []) {
          const ifFam = info.family === 'IPv4' ? 4 : 6;
          if (ifFam !== fam) continue;
          if (a.kind === 'samehost') {
            if (info.address === clientAddr) return true;
          } else if (info.cidr !== null) {
            const [net, pfx] = info.cidr.split('/');
            const list = new BlockList();
            list.addSubnet(net ?? '', Number(pfx), fam === 4 ? 'ipv4' : 'ipv6');
            if (list.check(clientAddr, fam === 4 ? 'ipv4' : 'ipv6')) return true;
          }
        }
      }
      return false;
    }
  }
}

function databaseMatches(list: readonly string[], c: HbaConnection): boolean {
  for (const d of list) {
    if (d === 'all') return true;
    if (d === 'sameuser' || d === 'samerole') {
      if (c.database === c.user) return true;
      continue;
    }
    if (d === c.database) return true;
  }
  return false;
}

function userMatches(list: readonly string[], user: string): boolean {
  return list.some((u) => u === 'all' || u === user);
}

/** The first rule matching the connection, or undefined (the caller reports 28000). */
export function matchHba(rules: readonly HbaRule[], c: HbaConnection): HbaRule | undefined {
  for (const r of rules) {
    if (c.type === 'local') {
      if (r.type !== 'local') continue;
    } else {
      // No TLS and no GSS encryption: hostssl and hostgssenc rules never match.
      if (r.type === 'local' || r.type === 'hostssl' || r.type === 'hostgssenc') continue;
      if (r.address === undefined || !addressMatches(r.address, c.address)) continue;
    }
    if (!databaseMatches(r.databases, c)) continue;
    if (!userMatches(r.users, c.user)) continue;
    return r;
  }
  return undefined;
}
