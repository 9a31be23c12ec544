// Raw parse-tree expression → SQL text, for the expressions the catalog stores as text (column
// DEFAULTs, CHECK constraints) and shows back (pg_get_expr, \d). Covers the expression forms
// those use; anything else fails with 0A000 rather than storing something wrong.
import { notSupported } from '../../base/index.js';
import { nodeTag, nodeBody, strVal, nameList } from './nodes.js';
import type { PgNode } from './parser.js';

export function deparseExpr(node: PgNode): string {
  const tag = nodeTag(node);
  const n = nodeBody(node);
  switch (tag) {
    case 'A_Const': return deparseConst(n);
    case 'ColumnRef': return (n.fields as PgNode[]).map((f) => (nodeTag(f) === 'A_Star' ? '*' : quoteIdent(strVal(f)))).join('.');
    case 'ParamRef': return `$${n.number as number}`;
    case 'TypeCast': return `${wrap(n.arg)}::${deparseTypeName(n.typeName)}`;
    case 'FuncCall': {
      const name = nameList(n.funcname).map(quoteIdent).join('.');
      if (n.agg_star) return `${name}(*)`;
      const args = ((n.args as PgNode[] | undefined) ?? []).map(deparseExpr).join(', ');
      return `${name}(${n.agg_distinct ? 'DISTINCT ' : ''}${args})`;
    }
    case 'A_Expr': return deparseAExpr(n);
    case 'BoolExpr': {
      const args = (n.args as PgNode[]).map(wrap);
      if (n.boolop === 'NOT_EXPR') return `NOT ${args[0]}`;
      return args.join(n.boolop === 'AND_EXPR' ? ' AND ' : ' OR ');
    }
    case 'NullTest': return `${wrap(n.arg)} IS ${n.nulltesttype === 'IS_NOT_NULL' ? 'NOT ' : ''}NULL`;
    case 'BooleanTest': {
      const t = (n.booltesttype as string).replace(/^IS_/, '').replace(/_/g, ' ');
      return `${wrap(n.arg)} IS ${t}`;
    }
    case 'CaseExpr': {
      const parts = ['CASE'];
      if (n.arg !== undefined) parts.push(deparseExpr(n.arg));
      for (const w of n.args as PgNode[]) {
        const wb = nodeBody(w);
        parts.push(`WHEN ${deparseExpr(wb.expr)} THEN ${deparseExpr(wb.result)}`);
      }
      if (n.defresult !== undefined) parts.push(`ELSE ${deparseExpr(n.defresult)}`);
      parts.push('END');
      return parts.join(' ');
    }
    case 'CoalesceExpr': return `COALESCE(${(n.args as PgNode[]).map(deparseExpr).join(', ')})`;
    case 'MinMaxExpr': return `${n.op === 'IS_GREATEST' ? 'GREATEST' : 'LEAST'}(${(n.args as PgNode[]).map(deparseExpr).join(', ')})`;
    case 'SQLValueFunction': return sqlValueFunction(n.op as string);
    case 'A_ArrayExpr': return `ARRAY[${((n.elements as PgNode[] | undefined) ?? []).map(deparseExpr).join(', ')}]`;
    case 'A_Indirection': {
      let s = wrap(n.arg);
      for (const i of n.indirection as PgNode[]) {
        if (nodeTag(i) !== 'A_Indices') throw notSupported('this indirection in a stored expression');
        s += `[${deparseExpr(nodeBody(i).uidx)}]`;
      }
      return s;
    }
    case 'CollateClause': return `${wrap(n.arg)} COLLATE ${nameList(n.collname).map((c) => `"${c}"`).join('.')}`;
    default:
      throw notSupported(`${tag} in a stored expression (DEFAULT or CHECK)`);
  }
}

function wrap(node: PgNode): string {
  const tag = nodeTag(node);
  const s = deparseExpr(node);
  if (tag === 'A_Expr' || tag === 'BoolExpr' || tag === 'NullTest' || tag === 'BooleanTest') return `(${s})`;
  if (tag === 'A_Const' && s.startsWith('-')) return `(${s})`;
  return s;
}

function deparseAExpr(n: PgNode): string {
  const op = nameList(n.name).join('.');
  const l = n.lexpr === undefined ? '' : wrap(n.lexpr);
  switch (n.kind as string) {
    case 'AEXPR_OP': return n.lexpr === undefined ? `${op} ${wrap(n.rexpr)}` : `${l} ${op} ${wrap(n.rexpr)}`;
    case 'AEXPR_OP_ANY': return `${l} ${op} ANY (${deparseExpr(n.rexpr)})`;
    case 'AEXPR_OP_ALL': return `${l} ${op} ALL (${deparseExpr(n.rexpr)})`;
    case 'AEXPR_DISTINCT': return `${l} IS DISTINCT FROM ${wrap(n.rexpr)}`;
    case 'AEXPR_NOT_DISTINCT': return `${l} IS NOT DISTINCT FROM ${wrap(n.rexpr)}`;
    case 'AEXPR_NULLIF': return `NULLIF(${deparseExpr(n.lexpr)}, ${deparseExpr(n.rexpr)})`;
    case 'AEXPR_IN': return `${l} ${op === '<>' ? 'NOT IN' : 'IN'} (${listOf(n.rexpr).map(deparseExpr).join(', ')})`;
    case 'AEXPR_LIKE': return `${l} ${op === '!~~' ? 'NOT LIKE' : 'LIKE'} ${wrap(n.rexpr)}`;
    case 'AEXPR_ILIKE': return `${l} ${op === '!~~*' ? 'NOT ILIKE' : 'ILIKE'} ${wrap(n.rexpr)}`;
    case 'AEXPR_BETWEEN': case 'AEXPR_NOT_BETWEEN': case 'AEXPR_BETWEEN_SYM': case 'AEXPR_NOT_BETWEEN_SYM': {
      const [a, b] = listOf(n.rexpr).map(wrap);
      const kw = (n.kind as string).replace('AEXPR_', '').replace(/_/g, ' ').replace('SYM', 'SYMMETRIC');
      return `${l} ${kw} ${a} AND ${b}`;
    }
    default: throw notSupported(`${n.kind as string} in a stored expression`);
  }
}

function listOf(n: PgNode | PgNode[]): PgNode[] {
  if (Array.isArray(n)) return n;
  if (nodeTag(n) === 'List') return (nodeBody(n).items as PgNode[] | undefined) ?? [];
  return [n];
}

function deparseConst(n: PgNode): string {
  if (n.isnull) return 'NULL';
  if (n.ival !== undefined) return String(n.ival.ival ?? 0);
  if (n.fval !== undefined) return n.fval.fval as string;
  if (n.boolval !== undefined) return n.boolval.boolval ? 'true' : 'false';
  if (n.sval !== undefined) return quoteLiteral((n.sval.sval as string | undefined) ?? '');
  throw notSupported('this constant in a stored expression');
}

export function deparseTypeName(t: PgNode): string {
  const names = nameList(t.names);
  const base = names.map((s) => (s === 'pg_catalog' ? s : quoteIdent(s))).join('.');
  const mods = ((t.typmods as PgNode[] | undefined) ?? []).map(deparseExpr);
  const arr = ((t.arrayBounds as PgNode[] | undefined) ?? []).map(() => '[]').join('');
  return `${base}${mods.length > 0 ? `(${mods.join(',')})` : ''}${arr}`;
}

function sqlValueFunction(op: string): string {
  const map: Record<string, string> = {
    SVFOP_CURRENT_DATE: 'CURRENT_DATE', SVFOP_CURRENT_TIME: 'CURRENT_TIME', SVFOP_CURRENT_TIME_N: 'CURRENT_TIME',
    SVFOP_CURRENT_TIMESTAMP: 'CURRENT_TIMESTAMP', SVFOP_CURRENT_TIMESTAMP_N: 'CURRENT_TIMESTAMP',
    SVFOP_LOCALTIME: 'LOCALTIME', SVFOP_LOCALTIME_N: 'LOCALTIME', SVFOP_LOCALTIMESTAMP: 'LOCALTIMESTAMP',
    SVFOP_LOCALTIMESTAMP_N: 'LOCALTIMESTAMP', SVFOP_CURRENT_ROLE: 'CURRENT_ROLE', SVFOP_CURRENT_USER: 'CURRENT_USER',
    SVFOP_USER: 'USER', SVFOP_SESSION_USER: 'SESSION_USER', SVFOP_CURRENT_CATALOG: 'CURRENT_CATALOG',
    SVFOP_CURRENT_SCHEMA: 'CURRENT_SCHEMA',
  };
  return map[op] ?? op;
}

export function quoteIdent(s: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(s) && !RESERVED.has(s) ? s : `"${s.replace(/"/g, '""')}"`;
}

export function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

const RESERVED = new Set(['all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast', 'check', 'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role', 'current_time', 'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in', 'initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not', 'null', 'offset', 'on', 'only', 'or', 'order', 'placing', 'primary', 'references', 'returning', 'select', 'session_user', 'some', 'symmetric', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique', 'user', 'using', 'variadic', 'when', 'where', 'window', 'with']);
