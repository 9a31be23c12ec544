// Literal lifting for the simple-query cache: which constants become parameters and which stay.
import { describe, expect, it } from 'vitest';
import { normalizeLiterals } from './normalize.js';

describe('normalizeLiterals', () => {
  it('lifts numbers and plain strings into numbered parameters after the statement\'s own', () => {
    const r = normalizeLiterals("SELECT a FROM t WHERE b = 42 AND c = 'x''y' AND d = $1");
    expect(r?.text).toBe('SELECT a FROM t WHERE b = $2 AND c = $3 AND d = $1');
    expect(r?.literals).toEqual([{ kind: 'int', text: '42' }, { kind: 'string', text: "x'y" }]);
    expect(r?.firstParam).toBe(2);
  });

  it('keeps LIMIT and OFFSET counts in the text (they shape the plan)', () => {
    const r = normalizeLiterals("SELECT id FROM items WHERE c = 3 ORDER BY v <-> '[1,2]' LIMIT 10 OFFSET 5");
    expect(r?.text).toBe('SELECT id FROM items WHERE c = $1 ORDER BY v <-> $2 LIMIT 10 OFFSET 5');
    expect(r?.literals.map((l) => l.text)).toEqual(['3', '[1,2]']);
  });

  it('declines typed literals, prefixed strings and several statements', () => {
    expect(normalizeLiterals("SELECT DATE '2024-01-01'")).toBeNull();
    expect(normalizeLiterals("SELECT E'a\\\\b'")).toBeNull();
    expect(normalizeLiterals('SELECT 1; SELECT 2')).toBeNull();
    expect(normalizeLiterals('CREATE TABLE t (a int)')).toBeNull();
  });
});
