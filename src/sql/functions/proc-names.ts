// regproc: procedure names and OIDs, over the built-in functions (the function library's, under
// PostgreSQL's OIDs) and the types' I/O procedures. Input reads a name, optionally qualified by
// pg_catalog, as regprocin does (42883 when there is none, 42725 when the name is overloaded);
// output names the procedure ('-' for none).
import { SqlError, SQLSTATE } from '../../base/index.js';
import { typeProcNames } from '../types/index.js';
import { allFunctionNames, lookupFunction } from './registry.js';

let byOid: Map<number, string> | undefined;
let byName: Map<string, Set<number>> | undefined;

function tables(): { byOid: Map<number, string>; byName: Map<string, Set<number>> } {
  if (byOid === undefined || byName === undefined) {
    byOid = new Map();
    byName = new Map();
    const add = (oid: number, name: string): void => {
      byOid!.set(oid, name);
      let s = byName!.get(name);
      if (s === undefined) byName!.set(name, s = new Set());
      s.add(oid);
    };
    for (const [oid, name] of typeProcNames()) add(oid, name);
    for (const n of allFunctionNames()) for (const f of lookupFunction(n)) if (f.oid !== 0) add(f.oid, f.name);
  }
  return { byOid, byName };
}

/** regprocout: the procedure's name, '-' for 0, the OID itself when unknown. */
export function regprocOut(oid: number): string {
  if (oid === 0) return '-';
  return tables().byOid.get(oid) ?? String(oid);
}

/** regprocin: an OID, '-' (0), or a procedure name ('array_in', 'pg_catalog.int4in', '"lower"'). */
export function regprocIn(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (t === '-') return 0;
  const parts = t.match(/"(?:[^"]|"")*"|[^.]+/g) ?? [];
  const names = parts.map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.trim().toLowerCase()));
  if (names.length === 2 && names[0] !== 'pg_catalog') throw new SqlError(SQLSTATE.UNDEFINED_FUNCTION, `function "${t}" does not exist`);
  if (names.length === 0 || names.length > 2) throw new SqlError(SQLSTATE.INVALID_TEXT_REPRESENTATION, `invalid name syntax`);
  const oids = tables().byName.get(names[names.length - 1]!);
  if (oids === undefined) throw new SqlError(SQLSTATE.UNDEFINED_FUNCTION, `function "${t}" does not exist`);
  if (oids.size > 1) throw new SqlError(SQLSTATE.AMBIGUOUS_FUNCTION, `more than one function named "${t}"`);
  return [...oids][0]!;
}
