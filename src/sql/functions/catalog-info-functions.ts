// System information and catalog functions (pg_table_is_visible, pg_get_indexdef, format_type's
// neighbours, has_*_privilege, obj_description, pg_relation_size, set_config, lastval, ...) with
// PostgreSQL 15's signatures and OIDs. Everything that reads the catalog or the session goes
// through ctx.services.catalogFunction, answered by the engine (src/sql/engine/catalog-functions.ts).
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import type { Datum } from '../types/index.js';
import type { EvalContext } from './function-def.js';
import { fn, op, srf } from './registry.js';
import { T } from './oids.js';
import { invalidParam } from './errors.js';

/** Types QuiverDB has no own representation for, stood in for by a compatible one. */
const PG_NODE_TREE_AS = T.text;

function viaCatalog(name: string): (a: Datum[], ctx: EvalContext) => Datum {
  return (a, ctx) => {
    const r = ctx.services.catalogFunction(name, a);
    if (r === undefined) throw notSupported(`function ${name}`);
    return r;
  };
}

const EMPTY: readonly Datum[] = [];

export function registerCatalogInfoFunctions(): void {
  const { oid: O, text: S, bool: B, int4: I, name: N, int8: I8, regclass: RC } = T;

  // Visibility and names.
  fn('pg_table_is_visible', [O], B, viaCatalog('pg_table_is_visible'));
  fn('pg_type_is_visible', [O], B, viaCatalog('pg_type_is_visible'));
  // Every function, operator, operator class, collation, ... is a built-in in pg_catalog, which is
  // always searched: all of them are visible.
  for (const kind of ['function', 'operator', 'opclass', 'opfamily', 'collation', 'conversion', 'statistics_obj', 'ts_config',
    'ts_dict', 'ts_parser', 'ts_template']) {
    fn(`pg_${kind}_is_visible`, [O], B, () => true);
  }
  fn('pg_get_userbyid', [O], N, viaCatalog('pg_get_userbyid'));
  fn('pg_encoding_to_char', [I], N, viaCatalog('pg_encoding_to_char'));
  fn('pg_char_to_encoding', [N], I, (a) => ((a[0] as string).toUpperCase().replace(/[-_]/g, '') === 'UTF8' ? 6 : ((a[0] as string).toUpperCase() === 'SQL_ASCII' ? 0 : -1)));
  fn('getdatabaseencoding', [], N, () => 'UTF8');
  fn('pg_client_encoding', [], N, (_a, ctx) => ctx.setting('client_encoding') || 'UTF8');
  fn('pg_encoding_max_length', [I], I, (a) => (a[0] === 6 ? 4 : 1));

  // Definitions.
  fn('pg_get_indexdef', [O], S, viaCatalog('pg_get_indexdef'));
  fn('pg_get_indexdef', [O, I, B], S, viaCatalog('pg_get_indexdef'));
  fn('pg_get_constraintdef', [O], S, viaCatalog('pg_get_constraintdef'));
  fn('pg_get_constraintdef', [O, B], S, viaCatalog('pg_get_constraintdef'));
  fn('pg_get_expr', [PG_NODE_TREE_AS, O], S, viaCatalog('pg_get_expr'), { oid: 1716, volatility: 's' });
  fn('pg_get_expr', [PG_NODE_TREE_AS, O, B], S, viaCatalog('pg_get_expr'), { oid: 2509, volatility: 's' });
  fn('pg_get_viewdef', [O], S, viaCatalog('pg_get_viewdef'));
  fn('pg_get_viewdef', [O, B], S, viaCatalog('pg_get_viewdef'));
  fn('pg_get_viewdef', [O, I], S, viaCatalog('pg_get_viewdef'));
  fn('pg_get_viewdef', [S], S, viaCatalog('pg_get_viewdef'));
  fn('pg_get_viewdef', [S, B], S, viaCatalog('pg_get_viewdef'));
  // No triggers, rules, statistics objects, partitions or functions of its own: nothing to show.
  fn('pg_get_triggerdef', [O], S, () => null);
  fn('pg_get_triggerdef', [O, B], S, () => null);
  fn('pg_get_ruledef', [O], S, () => null);
  fn('pg_get_ruledef', [O, B], S, () => null);
  fn('pg_get_statisticsobjdef_columns', [O], S, () => null);
  fn('pg_get_partkeydef', [O], S, () => null);
  fn('pg_get_partition_constraintdef', [O], S, () => null);
  fn('pg_get_function_arguments', [O], S, () => null);
  fn('pg_get_function_identity_arguments', [O], S, () => null);
  fn('pg_get_function_result', [O], S, () => null);
  srf('pg_partition_ancestors', [RC], RC, () => EMPTY);
  fn('pg_relation_is_publishable', [RC], B, viaCatalog('pg_relation_is_publishable'));
  fn('pg_tablespace_location', [O], S, () => '');
  fn('pg_get_serial_sequence', [S, S], S, viaCatalog('pg_get_serial_sequence'));

  // Comments.
  fn('obj_description', [O], S, viaCatalog('obj_description'));
  fn('obj_description', [O, N], S, viaCatalog('obj_description'));
  fn('col_description', [O, I], S, viaCatalog('col_description'));
  fn('shobj_description', [O, N], S, () => null);

  // Privileges: QuiverDB does not enforce object privileges, so every check is true for
  // existing roles (the engine still validates the privilege words and role names).
  const privilegeFns: Array<[string, number[][]]> = [
    ['has_table_privilege', [[N, S, S], [N, O, S], [O, S, S], [O, O, S], [S, S], [O, S]]],
    ['has_sequence_privilege', [[N, S, S], [N, O, S], [O, S, S], [O, O, S], [S, S], [O, S]]],
    ['has_schema_privilege', [[N, S, S], [N, O, S], [O, S, S], [O, O, S], [S, S], [O, S]]],
    ['has_database_privilege', [[N, S, S], [N, O, S], [O, S, S], [O, O, S], [S, S], [O, S]]],
    ['has_function_privilege', [[N, S, S], [N, O, S], [O, S, S], [O, O, S], [S, S], [O, S]]],
    ['has_column_privilege', [[N, S, S, S], [N, S, T.int2, S], [N, O, S, S], [N, O, T.int2, S], [O, S, S, S], [O, S, T.int2, S],
      [O, O, S, S], [O, O, T.int2, S], [S, S, S], [S, T.int2, S], [O, S, S], [O, T.int2, S]]],
    ['pg_has_role', [[N, N, S], [N, O, S], [O, N, S], [O, O, S], [N, S], [O, S]]],
  ];
  for (const [name, sigs] of privilegeFns) for (const sig of sigs) fn(name, sig, B, viaCatalog(name));
  fn('row_security_active', [O], B, () => false);
  fn('row_security_active', [S], B, () => false);

  // Session and server.
  fn('pg_backend_pid', [], I, viaCatalog('pg_backend_pid'));
  fn('pg_postmaster_start_time', [], T.timestamptz, viaCatalog('pg_postmaster_start_time'));
  fn('pg_conf_load_time', [], T.timestamptz, viaCatalog('pg_postmaster_start_time'));
  fn('pg_is_in_recovery', [], B, () => false);
  fn('pg_jit_available', [], B, () => false);
  fn('pg_trigger_depth', [], I, () => 0);
  // No inet type: the server and client addresses are reported as unknown (NULL), as PostgreSQL
  // does over a Unix socket.
  fn('inet_server_port', [], I, viaCatalog('inet_server_port'), { strict: false });
  fn('inet_client_port', [], I, viaCatalog('inet_client_port'), { strict: false });
  fn('inet_client_addr', [], S, () => null, { strict: false, oid: 2196, volatility: 's' });
  fn('inet_server_addr', [], S, () => null, { strict: false, oid: 2198, volatility: 's' });
  fn('txid_current', [], I8, viaCatalog('txid_current'));
  fn('txid_current_if_assigned', [], I8, viaCatalog('txid_current'));
  fn('lastval', [], I8, viaCatalog('lastval'));
  fn('current_setting', [S], S, viaCatalog('current_setting'));
  fn('current_setting', [S, B], S, viaCatalog('current_setting'));
  fn('set_config', [S, S, B], S, (a, ctx) => {
    if (a[0] === null) throw invalidParam('SET requires parameter name');
    return viaCatalog('set_config')([a[0]!, a[1] ?? null, a[2] ?? false], ctx);
  }, { strict: false });

  // Sizes: QuiverDB has no pages per relation; the engine reports an estimate from its row
  // statistics (see catalog-functions.ts), 0 when nothing is known.
  for (const name of ['pg_relation_size', 'pg_total_relation_size', 'pg_table_size', 'pg_indexes_size']) {
    fn(name, [RC], I8, viaCatalog(name));
  }
  fn('pg_relation_size', [RC, S], I8, viaCatalog('pg_relation_size'));
  fn('pg_database_size', [N], I8, () => 0n);
  fn('pg_database_size', [O], I8, () => 0n);
  fn('pg_relation_filenode', [RC], O, (a) => a[0] as number);
  fn('pg_size_pretty', [I8], S, (a) => sizePretty(a[0] as bigint));

  // Byte access.
  fn('get_byte', [T.bytea, I], I, (a) => {
    const b = a[0] as Uint8Array, n = a[1] as number;
    if (n < 0 || n >= b.length) throw outOfRange(n, b.length);
    return b[n]!;
  });
  fn('set_byte', [T.bytea, I, I], T.bytea, (a) => {
    const b = a[0] as Uint8Array, n = a[1] as number;
    if (n < 0 || n >= b.length) throw outOfRange(n, b.length);
    const out = new Uint8Array(b);
    out[n] = (a[2] as number) & 0xff;
    return out;
  });
  op('^@', T.text, T.text, B, (a) => (a[0] as string).startsWith(a[1] as string));
}

function outOfRange(n: number, len: number): SqlError {
  return new SqlError(SQLSTATE.ARRAY_SUBSCRIPT_ERROR, `index ${n} out of valid range, 0..${len - 1}`);
}

/** pg_size_pretty(bigint), as PostgreSQL computes it (one extra bit kept for half-rounding). */
export function sizePretty(bytes: bigint): string {
  const limit = 10n * 1024n;
  const limit2 = limit * 2n - 1n;
  const abs = (v: bigint): bigint => (v < 0n ? -v : v);
  const half = (v: bigint): bigint => (v + (v < 0n ? -1n : 1n)) / 2n;
  if (abs(bytes) < limit) return `${bytes} bytes`;
  // Division, not shifts, so that negative sizes round as PostgreSQL's do.
  let size = bytes / 512n;
  for (const unit of ['kB', 'MB', 'GB', 'TB']) {
    if (abs(size) < limit2) return `${half(size)} ${unit}`;
    size /= 1024n;
  }
  return `${half(size)} PB`;
}
