// Session settings (GUCs): defaults, validation of the ones QuiverDB acts on, SET / SET LOCAL /
// RESET semantics with transaction-scoped undo, SHOW formatting, and which settings are reported
// to the client in ParameterStatus messages when they change.
import { SqlError, SQLSTATE } from '../../base/index.js';
import { findTimeZone } from '../types/index.js';

export const SERVER_VERSION = '15.8';
export const SERVER_VERSION_NUM = '150008';

interface SettingDef {
  default: string;
  /** Reported in ParameterStatus. */
  report?: boolean;
  /** Normalizes and validates a value; throws SqlError. */
  check?: (value: string) => string;
  /** Only settable at startup / never by SET. */
  readOnly?: boolean;
  description?: string;
  category?: string;
  unit?: string;
}

const bool = (name: string) => (v: string): string => {
  const s = v.toLowerCase();
  if (['on', 'true', 'yes', '1', 't', 'y'].includes(s)) return 'on';
  if (['off', 'false', 'no', '0', 'f', 'n'].includes(s)) return 'off';
  throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `parameter "${name}" requires a Boolean value`);
};

const enumOf = (name: string, values: string[]) => (v: string): string => {
  const s = v.toLowerCase();
  const hit = values.find((x) => x.toLowerCase() === s);
  if (hit === undefined) {
    throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `invalid value for parameter "${name}": "${v}"`, {
      hint: `Available values: ${values.join(', ')}.`,
    });
  }
  return hit;
};

/** statement_timeout and friends: integer milliseconds or with a unit ('5s', '1min'). */
const duration = (name: string) => (v: string): string => {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(v);
  if (m === null) {
    throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `invalid value for parameter "${name}": "${v}"`);
  }
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const ms = n * ({ ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 } as Record<string, number>)[unit]!;
  if (ms < 0 || ms > 2147483647) {
    throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `${ms} ms is outside the valid range for parameter "${name}" (0 .. 2147483647)`);
  }
  return String(Math.round(ms));
};

const integer = (name: string, min: number, max: number) => (v: string): string => {
  if (!/^\s*-?\d+\s*$/.test(v)) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `invalid value for parameter "${name}": "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `${n} is outside the valid range for parameter "${name}" (${min} .. ${max})`);
  return String(n);
};

const SETTINGS: Record<string, SettingDef> = {
  server_version: { default: SERVER_VERSION, report: true, readOnly: true },
  server_version_num: { default: SERVER_VERSION_NUM, readOnly: true },
  server_encoding: { default: 'UTF8', report: true, readOnly: true },
  client_encoding: {
    default: 'UTF8', report: true,
    check: (v) => {
      const s = v.toUpperCase().replace(/[-_]/g, '');
      if (s === 'UTF8' || s === 'UNICODE') return 'UTF8';
      if (s === 'SQLASCII') return 'SQL_ASCII';
      throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `client_encoding "${v}" is not supported (only UTF8)`);
    },
  },
  DateStyle: {
    default: 'ISO, MDY', report: true,
    check: (v) => {
      const parts = v.split(',').map((p) => p.trim().toUpperCase());
      if (!parts.includes('ISO') && parts.some((p) => ['SQL', 'POSTGRES', 'GERMAN'].includes(p))) {
        throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `DateStyle "${v}" is not supported (only ISO output)`);
      }
      const order = parts.find((p) => ['MDY', 'DMY', 'YMD', 'US', 'EUROPEAN', 'NONEURO'].includes(p)) ?? 'MDY';
      return `ISO, ${order === 'US' || order === 'NONEURO' ? 'MDY' : order === 'EUROPEAN' ? 'DMY' : order}`;
    },
  },
  IntervalStyle: { default: 'postgres', report: true, check: (v) => {
    const r = enumOf('IntervalStyle', ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601'])(v);
    if (r !== 'postgres') throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, `IntervalStyle "${r}" is not supported (only postgres)`);
    return r;
  } },
  TimeZone: {
    default: 'UTC', report: true,
    check: (v) => {
      if (findTimeZone(v) === undefined) {
        throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, `invalid value for parameter "TimeZone": "${v}"`);
      }
      return v;
    },
  },
  integer_datetimes: { default: 'on', report: true, readOnly: true },
  standard_conforming_strings: { default: 'on', report: true, check: (v) => {
    const r = bool('standard_conforming_strings')(v);
    if (r !== 'on') throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'standard_conforming_strings = off is not supported');
    return r;
  } },
  application_name: { default: '', report: true },
  is_superuser: { default: 'on', report: true, readOnly: true },
  session_authorization: { default: 'postgres', report: true, readOnly: true },
  search_path: { default: '"$user", public' },
  statement_timeout: { default: '0', check: duration('statement_timeout'), unit: 'ms' },
  lock_timeout: { default: '0', check: duration('lock_timeout'), unit: 'ms' },
  idle_in_transaction_session_timeout: { default: '0', check: duration('idle_in_transaction_session_timeout'), unit: 'ms' },
  transaction_isolation: { default: 'read committed', check: enumOf('transaction_isolation', ['serializable', 'repeatable read', 'read committed', 'read uncommitted']) },
  default_transaction_isolation: { default: 'read committed', check: enumOf('default_transaction_isolation', ['serializable', 'repeatable read', 'read committed', 'read uncommitted']) },
  transaction_read_only: { default: 'off', check: bool('transaction_read_only') },
  default_transaction_read_only: { default: 'off', check: bool('default_transaction_read_only') },
  extra_float_digits: { default: '1', check: integer('extra_float_digits', -15, 3) },
  // pgvector's index settings (its GUCs, with its defaults and ranges).
  'hnsw.ef_search': { default: '40', check: integer('hnsw.ef_search', 1, 1000), description: 'Sets the size of the dynamic candidate list for search' },
  'hnsw.iterative_scan': { default: 'off', check: enumOf('hnsw.iterative_scan', ['off', 'relaxed_order', 'strict_order']), description: 'Sets the mode for iterative scans' },
  'hnsw.max_scan_tuples': { default: '20000', check: integer('hnsw.max_scan_tuples', 1, 2147483647), description: 'Sets the max number of tuples to visit for iterative scans' },
  'hnsw.scan_mem_multiplier': { default: '1', check: integer('hnsw.scan_mem_multiplier', 1, 1000), description: 'Sets the multiple of work_mem to use for iterative scans' },
  'ivfflat.probes': { default: '1', check: integer('ivfflat.probes', 1, 32768), description: 'Sets the number of probes' },
  'ivfflat.iterative_scan': { default: 'off', check: enumOf('ivfflat.iterative_scan', ['off', 'relaxed_order']), description: 'Sets the mode for iterative scans' },
  'ivfflat.max_probes': { default: '32768', check: integer('ivfflat.max_probes', 1, 32768), description: 'Sets the max number of probes for iterative scans' },
  client_min_messages: { default: 'notice', check: enumOf('client_min_messages', ['debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'log', 'notice', 'warning', 'error']) },
  max_connections: { default: '100', readOnly: true },
  max_identifier_length: { default: '63', readOnly: true },
  block_size: { default: '8192', readOnly: true },
  lc_collate: { default: 'C', readOnly: true },
  lc_ctype: { default: 'C', readOnly: true },
  lc_messages: { default: 'C' },
  lc_monetary: { default: 'C' },
  lc_numeric: { default: 'C' },
  lc_time: { default: 'C' },
  default_text_search_config: { default: 'pg_catalog.english' },
  synchronous_commit: { default: 'on', check: enumOf('synchronous_commit', ['local', 'remote_write', 'remote_apply', 'on', 'off']) },
  work_mem: { default: '4MB' },
  maintenance_work_mem: { default: '64MB' },
  enable_seqscan: { default: 'on', check: bool('enable_seqscan') },
  enable_indexscan: { default: 'on', check: bool('enable_indexscan') },
  enable_hashjoin: { default: 'on', check: bool('enable_hashjoin') },
  enable_nestloop: { default: 'on', check: bool('enable_nestloop') },
  enable_mergejoin: { default: 'on', check: bool('enable_mergejoin') },
  enable_bitmapscan: { default: 'on', check: bool('enable_bitmapscan') },
  row_security: { default: 'on', check: bool('row_security') },
  bytea_output: { default: 'hex', check: (v) => {
    const r = enumOf('bytea_output', ['escape', 'hex'])(v);
    if (r !== 'hex') throw new SqlError(SQLSTATE.FEATURE_NOT_SUPPORTED, 'bytea_output = escape is not supported');
    return r;
  } },
  check_function_bodies: { default: 'on', check: bool('check_function_bodies') },
  jit: { default: 'off', check: bool('jit') },
  password_encryption: { default: 'scram-sha-256', check: enumOf('password_encryption', ['md5', 'scram-sha-256']) },
  max_stack_depth: { default: '2MB', readOnly: true },
  data_directory_mode: { default: '0700', readOnly: true },
  listen_addresses: { default: 'localhost', readOnly: true },
  port: { default: '5432', readOnly: true },
  timezone_abbreviations: { default: 'Default' },
  xmloption: { default: 'content' },
  escape_string_warning: { default: 'on', check: bool('escape_string_warning') },
  array_nulls: { default: 'on', check: bool('array_nulls') },
  quote_all_identifiers: { default: 'off', check: bool('quote_all_identifiers') },
  idle_session_timeout: { default: '0', check: duration('idle_session_timeout') },
  // Accepted and shown as PostgreSQL's defaults; QuiverDB's planner and executor do not use them
  // (pgvector's docs tell users to raise the first two before building an index).
  max_parallel_maintenance_workers: { default: '2', check: integer('max_parallel_maintenance_workers', 0, 1024) },
  max_parallel_workers_per_gather: { default: '2', check: integer('max_parallel_workers_per_gather', 0, 1024) },
  max_parallel_workers: { default: '8', check: integer('max_parallel_workers', 0, 1024) },
  max_worker_processes: { default: '8', readOnly: true },
  effective_cache_size: { default: '4GB' },
  random_page_cost: { default: '4' },
  seq_page_cost: { default: '1' },
  cpu_tuple_cost: { default: '0.01' },
  cpu_index_tuple_cost: { default: '0.005' },
  cpu_operator_cost: { default: '0.0025' },
  effective_io_concurrency: { default: '1', check: integer('effective_io_concurrency', 0, 1000) },
  enable_sort: { default: 'on', check: bool('enable_sort') },
  enable_material: { default: 'on', check: bool('enable_material') },
  enable_hashagg: { default: 'on', check: bool('enable_hashagg') },
  enable_indexonlyscan: { default: 'on', check: bool('enable_indexonlyscan') },
  enable_partitionwise_join: { default: 'off', check: bool('enable_partitionwise_join') },
  parallel_setup_cost: { default: '1000' },
  parallel_tuple_cost: { default: '0.1' },
  min_parallel_table_scan_size: { default: '8MB' },
  temp_buffers: { default: '8MB' },
};

/** Canonical name for a setting, case-insensitively (PostgreSQL's GUC names are case-insensitive). */
const CANONICAL = new Map<string, string>(Object.keys(SETTINGS).map((k) => [k.toLowerCase(), k]));

export function canonicalSettingName(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (CANONICAL.has(lower)) return CANONICAL.get(lower);
  // Custom (dotted) settings are allowed, as PostgreSQL allows placeholder variables.
  if (lower.includes('.')) return lower;
  return undefined;
}

/** Settings the planner reads: scan/join switches, cost constants, ANN search widths. */
function affectsPlans(name: string): boolean {
  return name.startsWith('enable_') || name.endsWith('_cost') || name.startsWith('hnsw.') || name.startsWith('ivfflat.')
    || name === 'effective_cache_size' || name === 'default_statistics_target';
}

export function unknownSetting(name: string): SqlError {
  return new SqlError(SQLSTATE.UNDEFINED_OBJECT, `unrecognized configuration parameter "${name}"`);
}

export function allSettingNames(): string[] {
  return Object.keys(SETTINGS);
}

export function settingDefault(name: string): string {
  return SETTINGS[name]?.default ?? '';
}

export function isReported(name: string): boolean {
  return SETTINGS[name]?.report === true;
}

/** A session's settings with SET LOCAL / transaction undo. */
export class SessionSettings {
  private readonly values = new Map<string, string>();
  /** Session-level values to restore at transaction end (for SET LOCAL and for SET inside a rolled-back transaction). */
  private undo: Map<string, string | undefined> | null = null;
  private localUndo: Map<string, string | undefined> | null = null;

  constructor(startup: Record<string, string>) {
    for (const [k, v] of Object.entries(startup)) {
      const name = canonicalSettingName(k);
      if (name === undefined || SETTINGS[name]?.readOnly === true) continue;
      try {
        this.values.set(name, SETTINGS[name]?.check?.(v) ?? v);
      } catch {
        // Invalid startup values are ignored, as a client cannot fix them mid-connection.
      }
    }
  }

  /** plannerKey's memo, dropped whenever a value changes. */
  private plannerKeyMemo: string | undefined;

  /**
   * The values of the settings that change plan choices (enable_*, costs, ANN search widths) that
   * this session set: a cached plan is reused only under the same key ('' when none is set).
   */
  plannerKey(): string {
    if (this.plannerKeyMemo === undefined) {
      const parts: string[] = [];
      for (const [k, v] of this.values) if (affectsPlans(k)) parts.push(`${k}=${v}`);
      this.plannerKeyMemo = parts.sort().join(';');
    }
    return this.plannerKeyMemo;
  }

  /** True while a setting has not been given a value in this session (SET, startup parameter). */
  isDefault(name: string): boolean {
    return !this.values.has(name);
  }

  get(name: string): string {
    return this.values.get(name) ?? SETTINGS[name]?.default ?? '';
  }

  /** Raw lookup by any-case name; throws 42704 for unknown settings. */
  show(name: string): { name: string; value: string } {
    const canonical = canonicalSettingName(name);
    if (canonical === undefined || (!(canonical in SETTINGS) && !this.values.has(canonical))) throw unknownSetting(name);
    return { name: canonical, value: this.get(canonical) };
  }

  /** SET [LOCAL]; returns the canonical name and the new value. */
  set(name: string, value: string | null, local: boolean, inTransaction: boolean): { name: string; value: string } {
    const canonical = canonicalSettingName(name);
    if (canonical === undefined) throw unknownSetting(name);
    const def = SETTINGS[canonical];
    if (def?.readOnly === true) {
      throw new SqlError(SQLSTATE.CANT_CHANGE_RUNTIME_PARAM, `parameter "${canonical}" cannot be changed`);
    }
    const v = value === null ? (def?.default ?? '') : (def?.check?.(value) ?? value);
    if (inTransaction) {
      const log = local ? (this.localUndo ??= new Map()) : (this.undo ??= new Map());
      if (!log.has(canonical)) log.set(canonical, this.values.get(canonical));
      if (!local && this.localUndo?.has(canonical)) this.localUndo.delete(canonical);
    }
    this.values.set(canonical, v);
    this.plannerKeyMemo = undefined;
    return { name: canonical, value: v };
  }

  /** Transaction end: SET LOCAL values revert; on rollback, SETs made in the transaction revert too. */
  endTransaction(committed: boolean): string[] {
    if (this.localUndo === null && (committed || this.undo === null)) {
      this.undo = null;
      return [];
    }
    const changed: string[] = [];
    const restore = (log: Map<string, string | undefined> | null): void => {
      for (const [k, v] of log ?? []) {
        if (v === undefined) this.values.delete(k); else this.values.set(k, v);
        changed.push(k);
      }
    };
    restore(this.localUndo);
    if (!committed) restore(this.undo);
    if (changed.length > 0) this.plannerKeyMemo = undefined;
    this.undo = null;
    this.localUndo = null;
    return changed;
  }

  resetAll(): void {
    this.values.clear();
    this.plannerKeyMemo = undefined;
  }

  /** search_path as a list of schema names. */
  searchPath(): string[] {
    return parseSearchPath(this.get('search_path'));
  }

  allValues(): Array<{ name: string; value: string; def: SettingDef | undefined }> {
    const names = new Set([...Object.keys(SETTINGS), ...this.values.keys()]);
    return [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())).map((name) => ({ name, value: this.get(name), def: SETTINGS[name] }));
  }
}

export function parseSearchPath(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s.toLowerCase()));
}
