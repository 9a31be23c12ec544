// Code-shape checks from STYLE.md §3.3–3.4 over src/**/*.ts: imports point only where the module
// table allows, cross-module imports go through the target's index.ts, libpg-query and lmdb are
// imported only by their owning modules, and every file starts with a header comment.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/** Module → modules it may import (STYLE.md §3.3). */
const ALLOWED: Record<string, string[]> = {
  'base': [],
  'keys': ['base'],
  'storage': ['keys', 'base'],
  'txn': ['storage', 'keys', 'base'],
  'vector': ['storage', 'keys', 'base'],
  'text': ['storage', 'keys', 'base'],
  'catalog': ['txn', 'keys', 'base'],
  'sql/parse': ['base'],
  // vector's kernels (distances, half floats) sit below the SQL layers that evaluate them.
  'sql/types': ['vector', 'keys', 'base'],
  'sql/functions': ['sql/types', 'vector', 'base'],
  'sql/analyze': ['sql/parse', 'sql/types', 'sql/functions', 'catalog', 'base'],
  'sql/plan': ['sql/analyze', 'sql/types', 'sql/functions', 'catalog', 'base'],
  // exec evaluates the analyzer's bound expressions (its output types, carried inside plans).
  'sql/exec': ['sql/plan', 'sql/analyze', 'sql/types', 'sql/functions', 'catalog', 'txn', 'vector', 'text', 'keys', 'base'],
  // engine names system keys (DDL and table locks, sequence state): keys is below it, not storage.
  'sql/engine': ['sql/parse', 'sql/types', 'sql/functions', 'sql/analyze', 'sql/plan', 'sql/exec', 'catalog', 'txn', 'vector', 'keys', 'base'],
  'wire': ['sql/engine', 'base'],
  'repl': ['base'],
  'cluster': ['repl', 'txn', 'storage', 'keys', 'base'],
};
/** Files at src/ root that are composition roots and may import anything. */
const ROOT_FILES = new Set(['main.ts', 'index.ts', 'check-main.ts']);
/** Packages only one module (plus composition roots) may import. */
const OWNED_PACKAGES: Record<string, string> = { 'libpg-query': 'sql/parse', 'lmdb': 'storage', 'usearch': 'vector' };

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** 'root' for composition roots, a module name, or null when the file is in no known module. */
export function moduleOf(relPath: string): string | null {
  const parts = relPath.split(/[\\/]/);
  if (parts.length === 1) return ROOT_FILES.has(parts[0] ?? '') ? 'root' : null;
  const mod = parts[0] === 'sql' ? (parts.length >= 3 ? `sql/${parts[1] ?? ''}` : null) : (parts[0] ?? null);
  return mod !== null && mod in ALLOWED ? mod : null;
}

/** Module specifiers of every import/export-from/dynamic import in `text`, with line numbers. */
export function importsOf(text: string): { spec: string; line: number; typeOnly: boolean }[] {
  const out: { spec: string; line: number; typeOnly: boolean }[] = [];
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"])\/\/[^\n]*/g, '$1');
  const re = /(?:^|\n)[ \t]*(import|export)(\s+type)?\b([^;'"]*?)\bfrom\s*['"]([^'"]+)['"]|(?:^|\n)[ \t]*import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(noComments)) !== null) {
    const spec = m[4] ?? m[5] ?? m[6];
    if (spec === undefined) continue;
    const before = noComments.slice(0, m.index + (m[0].startsWith('\n') ? 1 : 0));
    out.push({ spec, line: before.split('\n').length, typeOnly: m[2] !== undefined });
  }
  return out;
}

export function checkSrc(): string[] {
  const problems: string[] = [];
  let files: string[] = [];
  try { files = walk(SRC); } catch { return problems; }
  for (const file of files) {
    const rel = relative(SRC, file);
    const relPosix = rel.split(sep).join('/');
    const text = readFileSync(file, 'utf8');
    const firstCode = text.replace(/^#![^\n]*\n/, '').replace(/^\s+/, '');
    if (!firstCode.startsWith('//') && !firstCode.startsWith('/*')) problems.push(`src/${relPosix}: no leading comment saying what the file owns`);
    const from = moduleOf(rel);
    if (from === null) { problems.push(`src/${relPosix}: not inside a known module (see STYLE.md §3.2)`); continue; }
    const isTest = /\.(test|bench)\.ts$/.test(rel);
    for (const imp of importsOf(text)) {
      const where = `src/${relPosix}:${imp.line}`;
      if (!imp.spec.startsWith('.')) {
        const pkg = imp.spec.startsWith('@') ? imp.spec.split('/').slice(0, 2).join('/') : (imp.spec.split('/')[0] ?? '');
        const owner = OWNED_PACKAGES[pkg];
        if (owner !== undefined && from !== owner && from !== 'root') problems.push(`${where}: imports '${imp.spec}', which only ${owner} may import`);
        continue;
      }
      if (!imp.spec.endsWith('.js')) problems.push(`${where}: relative import '${imp.spec}' must end in .js`);
      const target = resolve(dirname(file), imp.spec);
      const targetRel = relative(SRC, target);
      if (targetRel.startsWith('..')) { problems.push(`${where}: imports '${imp.spec}' from outside src/`); continue; }
      const to = moduleOf(targetRel.replace(/\.js$/, '.ts'));
      if (to === from) continue;
      if (to === null) { problems.push(`${where}: imports '${imp.spec}', which is in no known module`); continue; }
      if (to === 'root') { problems.push(`${where}: imports the composition root '${imp.spec}'`); continue; }
      const targetPosix = targetRel.split(sep).join('/');
      if (targetPosix !== `${to}/index.js` && targetPosix !== `${to}/index.ts` && targetPosix !== `${to}/index`) {
        problems.push(`${where}: imports '${imp.spec}' inside ${to}; go through ${to}/index.ts`);
      }
      if (from !== 'root' && !isTest && !(ALLOWED[from] ?? []).includes(to)) {
        problems.push(`${where}: ${from} may not import ${to} (allowed: ${(ALLOWED[from] ?? []).join(', ') || 'nothing in src/'})`);
      }
    }
  }
  return problems;
}

describe('tidy', () => {
  it('parses import forms', () => {
    const found = importsOf([
      "// header",
      "import { a } from './a.js';",
      "import type { B } from '../b/index.js';",
      "import {\n  c,\n  d,\n} from '../../c/index.js';",
      "export { e } from './e.js';",
      "import './side.js';",
      "const m = await import('./dyn.js');",
      "// import { x } from './commented.js';",
    ].join('\n'));
    expect(found.map((f) => f.spec)).toEqual(['./a.js', '../b/index.js', '../../c/index.js', './e.js', './side.js', './dyn.js']);
    expect(found.map((f) => f.line)).toEqual([2, 3, 4, 8, 9, 10]);
  });

  it('maps files to modules', () => {
    expect(moduleOf('main.ts')).toBe('root');
    expect(moduleOf('base/assert.ts')).toBe('base');
    expect(moduleOf('sql/exec/scan.ts')).toBe('sql/exec');
    expect(moduleOf('sql/helper.ts')).toBeNull();
    expect(moduleOf('stray.ts')).toBeNull();
  });

  it('src/ follows the import table, goes through index.ts, and has header comments', () => {
    const problems = checkSrc();
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
