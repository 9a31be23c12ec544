// Tests for the corpus tooling that needs no server: the SQL splitter, top-level ORDER BY
// detection, outcome comparison (differential), and the .slt parser.
import { describe, expect, it } from 'vitest';
import { compareOutcomes, type Outcome } from '../differential/corpus-runner.js';
import { formatValue, parseSlt } from '../sql/slt-runner.js';
import { hasTopLevelOrderBy, splitSql } from './sql-script.js';

describe('splitSql', () => {
  it('splits at top-level semicolons and records lines and annotations', () => {
    const text = [
      '-- header comment',
      "SELECT 'a;b', \"x;y\";",
      '/* block ; comment */ SELECT 2;',
      '-- error 22012',
      'SELECT 1 / 0;',
      "SELECT E'it\\'s;' , $$ ; $$, $t$ ;; $t$;",
      'SELECT',
      '  3',
    ].join('\n');
    const st = splitSql(text);
    expect(st.map((s) => s.line)).toEqual([2, 3, 5, 6, 7]);
    expect(st.map((s) => s.expectError)).toEqual([null, null, '22012', null, null]);
    expect(st[0]?.sql).toBe("SELECT 'a;b', \"x;y\"");
    expect(st[3]?.sql).toBe("SELECT E'it\\'s;' , $$ ; $$, $t$ ;; $t$");
    expect(st[4]?.sql).toBe('SELECT\n  3');
  });
});

describe('hasTopLevelOrderBy', () => {
  it('ignores ORDER BY inside parentheses and literals', () => {
    expect(hasTopLevelOrderBy('SELECT a FROM t ORDER BY a')).toBe(true);
    expect(hasTopLevelOrderBy('SELECT string_agg(a, \',\' ORDER BY a) FROM t')).toBe(false);
    expect(hasTopLevelOrderBy("SELECT 'order by' FROM t")).toBe(false);
    expect(hasTopLevelOrderBy('SELECT * FROM (SELECT a FROM t ORDER BY a) s')).toBe(false);
    expect(hasTopLevelOrderBy('(SELECT 1) UNION (SELECT 2) ORDER BY 1')).toBe(true);
  });
});

describe('compareOutcomes', () => {
  const ok = (rows: (string | null)[][], tag = 'SELECT 2', fields = [{ name: 'a', oid: 23 }]): Outcome => ({ ok: true, tag, fields, rows });
  it('compares unordered results as multisets and ordered results in order', () => {
    expect(compareOutcomes('SELECT a FROM t', ok([['1'], ['2']]), ok([['2'], ['1']]))).toBeNull();
    expect(compareOutcomes('SELECT a FROM t ORDER BY a', ok([['1'], ['2']]), ok([['2'], ['1']]))).toMatch(/row 1/);
    expect(compareOutcomes('SELECT a FROM t', ok([['1'], ['1']]), ok([['1'], ['2']]))).toMatch(/row 2/);
  });
  it('reports tag, name, type and error differences', () => {
    expect(compareOutcomes('x', ok([['1'], ['2']]), ok([['1'], ['2']], 'SELECT 3'))).toMatch(/command tag/);
    expect(compareOutcomes('x', ok([]), ok([], 'SELECT 2', [{ name: 'b', oid: 23 }]))).toMatch(/column names/);
    expect(compareOutcomes('x', ok([]), ok([], 'SELECT 2', [{ name: 'a', oid: 20 }]))).toMatch(/type OIDs/);
    const e = (code: string): Outcome => ({ ok: false, code, message: 'm' });
    expect(compareOutcomes('x', e('22012'), e('22012'))).toBeNull();
    expect(compareOutcomes('x', e('22012'), e('22003'))).toMatch(/SQLSTATE/);
    expect(compareOutcomes('x', e('22012'), ok([]))).toMatch(/QuiverDB succeeded/);
    expect(compareOutcomes('x', ok([]), e('XX000'))).toMatch(/QuiverDB failed/);
  });
});

describe('parseSlt', () => {
  it('parses statements, queries and expected rows, keeping comments', () => {
    const chunks = parseSlt([
      '# c', '', 'statement ok', 'CREATE TABLE t (a int)', '',
      'statement error 23505', 'INSERT', 'INTO t', '',
      'query IT rowsort', 'SELECT 1, NULL', '----', '1\tNULL', '',
      'query T nosort', 'SELECT 1 WHERE false', '----', '',
    ].join('\n'));
    const recs = chunks.filter((c) => c.kind !== 'text');
    expect(recs.map((r) => r.kind)).toEqual(['statement', 'statement', 'query', 'query']);
    expect(recs[1]).toMatchObject({ expect: { error: '23505' }, sql: 'INSERT\nINTO t', line: 6 });
    expect(recs[2]).toMatchObject({ types: 'IT', sort: 'rowsort', expected: ['1\tNULL'] });
    expect(recs[3]).toMatchObject({ expected: [] });
    expect(chunks[0]).toEqual({ kind: 'text', text: '# c' });
    expect(() => parseSlt('query X\nSELECT 1\n')).toThrow(/column types/);
    expect([formatValue(null), formatValue(''), formatValue('a\tb\nc')]).toEqual(['NULL', '(empty)', 'a\\tb\\nc']);
  });
});
