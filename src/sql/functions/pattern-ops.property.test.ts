// Property test: LIKE (with its fast paths and the RegExp translation) agrees with a direct
// recursive reference matcher of PostgreSQL's LIKE semantics (backslash escapes, % and _).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { likeMatch } from './index.js';

function refLike(s: readonly string[], p: readonly string[]): boolean | 'error' {
  const go = (i: number, j: number): boolean => {
    if (j === p.length) return i === s.length;
    const c = p[j]!;
    if (c === '%') {
      for (let k = i; k <= s.length; k++) if (go(k, j + 1)) return true;
      return false;
    }
    if (c === '_') return i < s.length && go(i + 1, j + 1);
    if (c === '\\') return i < s.length && s[i] === p[j + 1] && go(i + 1, j + 2);
    return i < s.length && s[i] === c && go(i + 1, j + 1);
  };
  // a trailing lone escape is an error in PostgreSQL
  for (let j = 0; j < p.length; j++) {
    if (p[j] === '\\') { if (j === p.length - 1) return 'error'; j++; }
  }
  return go(0, 0);
}

const chars = fc.constantFrom('a', 'b', '.', '%', '_', '\\', '😀', '*');

describe('LIKE matches the reference semantics', () => {
  it('agrees on random strings and patterns', () => {
    fc.assert(fc.property(fc.array(chars, { maxLength: 8 }), fc.array(chars, { maxLength: 6 }), (s, p) => {
      const want = refLike(s, p);
      let got: boolean | 'error';
      try { got = likeMatch(s.join(''), p.join('')); } catch { got = 'error'; }
      expect(got).toBe(want);
    }), { numRuns: 2000 });
  });
});
