// Overload resolution for operators and functions, following PostgreSQL's rules (docs chapter 10,
// parse_oper.c / parse_func.c / parse_coerce.c): exact match, implicit-coercion candidates,
// most exact matches, preferred types, unknown-literal categories, polymorphic pseudo-types
// (anyelement/anyarray/anynonarray/anycompatible*) and VARIADIC expansion.
import { SqlError, SQLSTATE, notSupported } from '../../base/index.js';
import { castContext, typeInfo } from '../types/index.js';
import type { FunctionDef, ScalarFunctionDef } from './function-def.js';
import type { SqlArray } from '../types/index.js';
import { lookupFunction, lookupOperator } from './registry.js';
import { T } from './oids.js';

export interface Resolved {
  def: FunctionDef;
  /** The types the arguments must be coerced to (variadic arguments expanded). */
  argTypes: number[];
  returnType: number;
}

const POLY_ELEM = new Set<number>([T.anyelement, T.anynonarray, T.anyenum]);
const POLY_ARRAY: number = T.anyarray;
const COMPAT_ELEM = new Set<number>([T.anycompatible, T.anycompatiblenonarray]);
const COMPAT_ARRAY: number = T.anycompatiblearray;

function isPolymorphic(t: number): boolean {
  return POLY_ELEM.has(t) || t === POLY_ARRAY || COMPAT_ELEM.has(t) || t === COMPAT_ARRAY;
}

function category(t: number): string {
  return typeInfo(t)?.category ?? 'U';
}

function isPreferred(t: number): boolean {
  return typeInfo(t)?.preferred ?? false;
}

function elemOf(t: number): number {
  const ti = typeInfo(t);
  return ti !== undefined && ti.category === 'A' && ti.name.startsWith('_') ? ti.elemOid : 0;
}

function arrayOf(t: number): number {
  return typeInfo(t)?.arrayOid ?? 0;
}

/** PostgreSQL's format_type name of a type, as error messages print it. */
export function formatTypeName(t: number): string {
  return typeInfo(t)?.sqlName ?? `type ${t}`;
}

/** Whether a value of type from can be implicitly coerced to type to (find_coercion_pathway). */
export function canCoerceImplicit(from: number, to: number): boolean {
  if (from === to) return true;
  if (from === T.unknown) return true;
  if (to === T.any) return true;
  if (castContext(from, to) === 'i') return true;
  const fe = elemOf(from), te = elemOf(to);
  if (fe !== 0 && te !== 0) return canCoerceImplicit(fe, te);
  return false;
}

/** Common type of a set of types for anycompatible (select_common_type), or 0 if none. */
function commonType(types: readonly number[]): number {
  let ptype = 0;
  for (const t of types) if (t !== T.unknown) { ptype = t; break; }
  if (ptype === 0) return T.text;
  let pcat = category(ptype), ppref = isPreferred(ptype);
  for (const t of types) {
    if (t === T.unknown || t === ptype) continue;
    const tcat = category(t);
    if (tcat !== pcat) return 0;
    if (!ppref && canCoerceImplicit(ptype, t) && !canCoerceImplicit(t, ptype)) {
      ptype = t; pcat = tcat; ppref = isPreferred(t);
    }
  }
  for (const t of types) if (!canCoerceImplicit(t, ptype)) return 0;
  return ptype;
}

interface PolyResult { elem: number; compat: number }

/** check_generic_type_consistency + resolution: 0 fields when undetermined; null if inconsistent. */
function resolvePolymorphic(inputs: readonly number[], decl: readonly number[]): PolyResult | null {
  let elem = 0, arrayT = 0, needNonArray = false;
  const compatTypes: number[] = [];
  let hasCompat = false;
  for (let i = 0; i < decl.length; i++) {
    const d = decl[i]!, a = inputs[i]!;
    if (POLY_ELEM.has(d)) {
      if (d === T.anynonarray) needNonArray = true;
      if (a === T.unknown) continue;
      if (elem !== 0 && elem !== a) return null;
      elem = a;
    } else if (d === POLY_ARRAY) {
      if (a === T.unknown) continue;
      if (arrayT !== 0 && arrayT !== a) return null;
      arrayT = a;
    } else if (COMPAT_ELEM.has(d)) {
      hasCompat = true;
      if (a === T.unknown) continue;
      if (d === T.anycompatiblenonarray && elemOf(a) !== 0) return null;
      compatTypes.push(a);
    } else if (d === COMPAT_ARRAY) {
      hasCompat = true;
      if (a === T.unknown) continue;
      const e = elemOf(a);
      if (e === 0) return null;
      compatTypes.push(e);
    }
  }
  if (arrayT !== 0) {
    const e = elemOf(arrayT);
    if (e === 0) return null;
    if (elem !== 0 && elem !== e) return null;
    elem = e;
  }
  if (needNonArray && elem !== 0 && elemOf(elem) !== 0) return null;
  let compat = 0;
  if (hasCompat) {
    compat = commonType(compatTypes);
    if (compat === 0) return null;
  }
  return { elem, compat };
}

/** can_coerce_type for a whole argument list (COERCION_IMPLICIT). */
function canCoerceAll(inputs: readonly number[], decl: readonly number[]): boolean {
  let generic = false;
  for (let i = 0; i < inputs.length; i++) {
    const a = inputs[i]!, d = decl[i]!;
    if (a === d || d === T.any) continue;
    if (isPolymorphic(d)) { generic = true; continue; }
    if (!canCoerceImplicit(a, d)) return false;
  }
  return !generic || resolvePolymorphic(inputs, decl) !== null;
}

interface Candidate { def: FunctionDef; args: readonly number[] }

function expandCandidates(defs: readonly FunctionDef[], nargs: number): Candidate[] {
  const out: Candidate[] = [];
  for (const def of defs) {
    const n = def.argTypes.length;
    if (n === nargs) out.push({ def, args: def.argTypes });
    if (def.variadic !== undefined && nargs >= n - 1 && n > 0) {
      if (n === nargs && def.variadic === def.argTypes[n - 1]) continue; // "any": already added
      const args = def.argTypes.slice(0, n - 1);
      while (args.length < nargs) args.push(def.variadic);
      // a non-variadic candidate with the same argument list hides the expanded form
      if (!out.some((c) => c.def.variadic === undefined && sameList(c.args, args))) out.push({ def, args });
    }
  }
  return out;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** func_select_candidate: PostgreSQL's heuristics to pick one of several coercible candidates. */
function selectCandidate(inputs: readonly number[], cands: Candidate[]): Candidate | null {
  const nargs = inputs.length;
  let nunknowns = 0;
  for (const t of inputs) if (t === T.unknown) nunknowns++;

  // 1. most exact matches on known inputs
  cands = keepMax(cands, (c) => {
    let n = 0;
    for (let i = 0; i < nargs; i++) if (inputs[i] !== T.unknown && c.args[i] === inputs[i]) n++;
    return n;
  });
  if (cands.length === 1) return cands[0]!;
  // 2. exact or preferred-type matches
  cands = keepMax(cands, (c) => {
    let n = 0;
    for (let i = 0; i < nargs; i++) {
      if (inputs[i] !== T.unknown && (c.args[i] === inputs[i] || isPreferred(c.args[i]!))) n++;
    }
    return n;
  });
  if (cands.length === 1) return cands[0]!;
  if (nunknowns === 0) return null;

  // 3. resolve unknown inputs by category
  const slotCat: string[] = [];
  const slotPref: boolean[] = [];
  let resolved = true;
  for (let i = 0; i < nargs && resolved; i++) {
    if (inputs[i] !== T.unknown) continue;
    let cat = '', pref = false, conflict = false;
    for (const c of cands) {
      const t = c.args[i]!;
      const ccat = polyCategory(t), cpref = isPreferred(t);
      if (cat === '') { cat = ccat; pref = cpref; }
      else if (ccat === cat) pref = pref || cpref;
      else if (ccat === 'S') { cat = ccat; pref = cpref; }
      else conflict = true;
    }
    if (conflict && cat !== 'S') { resolved = false; break; }
    slotCat[i] = cat; slotPref[i] = pref;
  }
  if (resolved) {
    const kept = cands.filter((c) => {
      for (let i = 0; i < nargs; i++) {
        if (inputs[i] !== T.unknown) continue;
        const t = c.args[i]!;
        if (polyCategory(t) !== slotCat[i]) return false;
        if (slotPref[i] && !isPreferred(t)) return false;
      }
      return true;
    });
    if (kept.length > 0) {
      cands = kept;
      if (cands.length === 1) return cands[0]!;
    }
  }
  // 4. all known inputs of one type: assume the unknowns are that type too
  if (nunknowns < nargs) {
    let known: number = T.unknown;
    for (const t of inputs) {
      if (t === T.unknown) continue;
      if (known === T.unknown) known = t;
      else if (known !== t) { known = T.unknown; break; }
    }
    if (known !== T.unknown) {
      const assumed = inputs.map(() => known);
      const ok = cands.filter((c) => canCoerceAll(assumed, c.args));
      if (ok.length === 1) return ok[0]!;
    }
  }
  return null;
}

function polyCategory(t: number): string {
  return isPolymorphic(t) || t === T.any ? 'P' : category(t);
}

function keepMax(cands: Candidate[], score: (c: Candidate) => number): Candidate[] {
  let best = -1;
  let out: Candidate[] = [];
  for (const c of cands) {
    const s = score(c);
    if (s > best) { best = s; out = [c]; }
    else if (s === best) out.push(c);
  }
  return out;
}

/** Concrete argument and return types of a chosen candidate. */
function finish(c: Candidate, inputs: readonly number[]): Resolved {
  const decl = c.args;
  let elem = 0, compat = 0;
  const hasPoly = decl.some(isPolymorphic) || isPolymorphic(c.def.returnType);
  if (hasPoly) {
    const r = resolvePolymorphic(inputs, decl);
    if (r !== null) { elem = r.elem; compat = r.compat; }
    const needsElem = decl.some((d) => POLY_ELEM.has(d) || d === POLY_ARRAY) ||
      POLY_ELEM.has(c.def.returnType) || c.def.returnType === POLY_ARRAY;
    if (needsElem && elem === 0) {
      throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, 'could not determine polymorphic type because input has type unknown');
    }
  }
  const conc = (d: number, a: number): number => {
    if (POLY_ELEM.has(d)) return elem;
    if (d === POLY_ARRAY) return arrayOf(elem);
    if (COMPAT_ELEM.has(d)) return compat;
    if (d === COMPAT_ARRAY) return arrayOf(compat);
    if (d === T.any) return a === T.unknown ? T.text : a;
    return d;
  };
  const argTypes = decl.map((d, i) => conc(d, inputs[i]!));
  const ret = conc(c.def.returnType, T.unknown);
  if (ret === 0) {
    throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, `could not find array type for data type ${formatTypeName(compat || elem)}`);
  }
  return { def: specialized(c.def, argTypes, ret), argTypes, returnType: ret };
}

/** A def whose implementation is bound to the resolved types (when it depends on them). */
function specialized(def: FunctionDef, argTypes: readonly number[], ret: number): FunctionDef {
  if (def.specialize === undefined) return def;
  if (def.kind === 'aggregate') return { ...def, ...def.specialize(argTypes, ret) };
  return { ...def, impl: def.specialize(argTypes, ret) };
}

function opSignature(name: string, left: number | null, right: number): string {
  return left === null ? `${name} ${formatTypeName(right)}` : `${formatTypeName(left)} ${name} ${formatTypeName(right)}`;
}

function operatorMissing(name: string, left: number | null, right: number): SqlError {
  return new SqlError(SQLSTATE.UNDEFINED_FUNCTION, `operator does not exist: ${opSignature(name, left, right)}`, {
    hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
  });
}

/** Resolves an operator call; left null for a prefix operator. */
export function resolveOperator(name: string, left: number | null, right: number): Resolved {
  const all = lookupOperator(name);
  const inputs = left === null ? [right] : [left, right];
  const nargs = inputs.length;
  // exact match, with an unknown operand assumed to be the other operand's type
  let l = left, r = right;
  if (l !== null) {
    if (l === T.unknown && r !== T.unknown) l = r;
    else if (r === T.unknown && l !== T.unknown) r = l;
  }
  if (l === null || l !== T.unknown) {
    for (const def of all) {
      const a = def.argTypes;
      if (a.length !== nargs) continue;
      if (l === null ? a[0] === r : a[0] === l && a[1] === r) {
        return { def: specialized(def, a, def.returnType), argTypes: [...a], returnType: def.returnType };
      }
    }
  }
  const cands = expandCandidates(all, nargs).filter((c) => canCoerceAll(inputs, c.args));
  if (cands.length === 0) throw operatorMissing(name, left, right);
  if (cands.length === 1) return finish(cands[0]!, inputs);
  const best = selectCandidate(inputs, cands);
  if (best === null) {
    throw new SqlError(SQLSTATE.AMBIGUOUS_FUNCTION, `operator is not unique: ${opSignature(name, left, right)}`, {
      hint: 'Could not choose a best candidate operator. You might need to add explicit type casts.',
    });
  }
  return finish(best, inputs);
}

function funcSignature(name: string, args: readonly number[]): string {
  return `${name}(${args.map(formatTypeName).join(', ')})`;
}

/** Resolves a function or aggregate call by name and argument types. */
export function resolveFunction(name: string, argTypes: readonly number[], opts: { variadicArray?: boolean } = {}): Resolved {
  if (opts.variadicArray === true) return resolveVariadicArray(name, argTypes);
  const all = lookupFunction(name);
  const nargs = argTypes.length;
  const cands0 = expandCandidates(all, nargs);
  for (const c of cands0) {
    if (sameList(c.args, argTypes) && !c.args.some(isPolymorphic)) {
      return { def: specialized(c.def, c.args, c.def.returnType), argTypes: [...c.args], returnType: c.def.returnType };
    }
  }
  const cands = cands0.filter((c) => canCoerceAll(argTypes, c.args));
  if (cands.length === 0) {
    throw new SqlError(SQLSTATE.UNDEFINED_FUNCTION, `function ${funcSignature(name, argTypes)} does not exist`, {
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    });
  }
  if (cands.length === 1) return finish(cands[0]!, argTypes);
  const best = selectCandidate(argTypes, cands);
  if (best === null) {
    throw new SqlError(SQLSTATE.AMBIGUOUS_FUNCTION, `function ${funcSignature(name, argTypes)} is not unique`, {
      hint: 'Could not choose a best candidate function. You might need to add explicit type casts.',
    });
  }
  return finish(best, argTypes);
}

/**
 * A call whose last argument was written VARIADIC arr: only variadic functions match, the array
 * fills the variadic parameter, and the returned impl spreads its elements as separate arguments.
 */
function resolveVariadicArray(name: string, argTypes: readonly number[]): Resolved {
  const nargs = argTypes.length;
  const last = argTypes[nargs - 1];
  const missing = () => new SqlError(SQLSTATE.UNDEFINED_FUNCTION, `function ${funcSignature(name, argTypes)} does not exist`, {
    hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
  });
  if (last === undefined) throw missing();
  const cands: Candidate[] = [];
  for (const def of lookupFunction(name)) {
    if (def.variadic === undefined || def.argTypes.length !== nargs) continue;
    if (def.variadic === T.any) {
      if (last !== T.unknown && elemOf(last) === 0) {
        throw new SqlError(SQLSTATE.DATATYPE_MISMATCH, 'VARIADIC argument must be an array');
      }
      cands.push({ def, args: [...def.argTypes.slice(0, -1), last] });
    } else cands.push({ def, args: def.argTypes });
  }
  const ok = cands.filter((c) => canCoerceAll(argTypes, c.args));
  if (ok.length === 0) throw missing();
  const best = ok.length === 1 ? ok[0]! : selectCandidate(argTypes, ok);
  if (best === null) {
    throw new SqlError(SQLSTATE.AMBIGUOUS_FUNCTION, `function ${funcSignature(name, argTypes)} is not unique`, {
      hint: 'Could not choose a best candidate function. You might need to add explicit type casts.',
    });
  }
  const r = finish(best, argTypes);
  const base = best.def;
  if (base.kind === 'aggregate') throw notSupported('VARIADIC in aggregate calls');
  const arrType = r.argTypes[nargs - 1]!;
  const elem = elemOf(arrType === T.unknown ? T._text : arrType) || T.text;
  const fixed = r.argTypes.slice(0, -1);
  const cache = new Map<number, ScalarFunctionDef['impl']>();
  const implFor = (len: number): ScalarFunctionDef['impl'] => {
    let f = cache.get(len);
    if (f === undefined) {
      const types = [...fixed, ...new Array<number>(len).fill(elem)];
      f = base.specialize !== undefined ? base.specialize(types, r.returnType) : base.impl;
      if (cache.size < 64) cache.set(len, f);
    }
    return f;
  };
  const impl: ScalarFunctionDef['impl'] = (args, ctx) => {
    const arr = args[nargs - 1] as SqlArray | null;
    if (arr === null) return null;
    const spread = [...args.slice(0, nargs - 1), ...arr.items];
    if (base.strict && spread.some((v) => v === null)) return null;
    return implFor(arr.items.length)(spread, ctx);
  };
  const { specialize: _s, ...rest } = base;
  return { def: { ...rest, strict: base.strict, impl }, argTypes: r.argTypes, returnType: r.returnType };
}

/** resolveFunction for a call written at `position` (1-based) in the query text: its errors point there. */
export function resolveFunctionAt(name: string, argTypes: readonly number[], position: number | undefined): Resolved {
  try {
    return resolveFunction(name, argTypes);
  } catch (e) {
    if (e instanceof SqlError) throw e.withPosition(position);
    throw e;
  }
}
