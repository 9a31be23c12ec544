// The bulk-load encoder against the statement's own reading of COPY text (splitText + the types'
// input functions + the row and key encoders), on random data with escapes, NULLs and non-ASCII
// text: the same keys and rows, and a stop exactly at the first line it must leave to the
// statement (bad value, wrong field count, NULL in a NOT NULL column, carriage return, end
// marker). Then the worker threads: input split at random points comes back as the same rows,
// and a stop inside a block comes before the rows of any later block.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tableKeyPrefix } from '../../keys/index.js';
import { LIMITS } from '../../base/index.js';
import { OID, encodePrefixedKey, encodeRow, textIn, type Datum, type SqlType } from '../types/index.js';
import { CopyEncoder, type CopyEncodeSpec, type EncodedRows } from './copy-encode.js';
import { CopyPipeline } from './copy-pipeline.js';
import { WARM_UP_SPEC, warmUpLines } from './copy-warmup.js';
import { splitCsv, splitText, type CopyOptions } from './copy-text.js';

const OPTIONS: CopyOptions = { csv: false, delimiter: '\t', nullString: '\\N', header: false, quote: '"', escape: '"' };
const t = (oid: number): SqlType => ({ oid, typmod: -1 });
// (id int4 PRIMARY KEY, name text, score float8, created date NOT NULL, note text)
const TYPES = [t(OID.int4), t(OID.text), t(OID.float8), t(OID.date), t(OID.text)];
const SPEC: CopyEncodeSpec = {
  types: TYPES, positions: [0, 1, 2, 3, 4], notNull: [true, false, false, true, false],
  keyPositions: [0], keyTypes: [TYPES[0]!], prefix: tableKeyPrefix(16400, 0), keyBytesMax: LIMITS.keyBytesMax,
  options: OPTIONS, timeZone: 'UTC',
};

function escape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const textArb = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('plain', 'tab\there', 'back\\slash', 'línea ünïcode', '日本語', 'new\nline'));
const rowArb = fc.record({
  name: fc.option(textArb, { nil: null }),
  score: fc.option(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()), { nil: null }),
  day: fc.integer({ min: 1, max: 28 }),
  note: fc.option(textArb, { nil: null }),
});
const BAD_LINES = ['1\tx\t1.5', '1\tx\tnot-a-number\t2024-01-01\t\\N', '1\tx\t1\t\\N\t\\N', '1\tx\t1\t2024-01-01\t\\N\r', '\\.', '1\tx\t1\t2024-13-45\t\\N'];

function line(id: number, r: { name: string | null; score: number | null; day: number; note: string | null }): string {
  const f = (v: string | null): string => (v === null ? '\\N' : escape(v));
  return [String(id), f(r.name), r.score === null ? '\\N' : String(r.score), `2024-02-${String(r.day).padStart(2, '0')}`, f(r.note)].join('\t');
}

/** The statement's own reading of one line: the key and row encodings. */
function reference(l: string): [string, string] {
  const fields = splitText(l, OPTIONS);
  const row: Datum[] = fields.map((f, i) => (f === null ? null : textIn(TYPES[i]!, f, { timeZone: 'UTC' })));
  return [encodePrefixedKey(SPEC.prefix, SPEC.keyTypes, row, [0]).toString('hex'), Buffer.from(encodeRow(TYPES, row)).toString('hex')];
}

function rowsOf(r: EncodedRows): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let k = 0, v = 0;
  for (let i = 0; i < r.count; i++) {
    out.push([Buffer.from(r.keys.subarray(k, r.keyEnds[i])).toString('hex'), Buffer.from(r.values.subarray(v, r.valueEnds[i])).toString('hex')]);
    k = r.keyEnds[i]!;
    v = r.valueEnds[i]!;
  }
  return out;
}

describe('bulk-load encoder', () => {
  it('encodes as the statement reads, and stops at the first line it must leave to the statement', () => {
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 40 }), fc.option(fc.tuple(fc.nat(), fc.constantFrom(...BAD_LINES)), { nil: null }), (rows, bad) => {
      const lines = rows.map((r, i) => line(i + 1, r));
      let stopAt = lines.length;
      if (bad !== null) {
        stopAt = bad[0] % (lines.length + 1);
        lines.splice(stopAt, 0, bad[1]);
      }
      const input = Buffer.from(lines.map((l) => `${l}\n`).join('') + 'partial\tline');
      const r = new CopyEncoder(SPEC).encode(input);
      expect(r.count).toBe(stopAt);
      expect(r.stopped).toBe(bad !== null);
      expect(r.consumed).toBe(Buffer.byteLength(lines.slice(0, stopAt).map((l) => `${l}\n`).join('')));
      expect(rowsOf(r)).toEqual(lines.slice(0, stopAt).map(reference));
    }), { numRuns: 300 });
  });

  it('CSV: quoted fields (delimiters and doubled quotes inside), NULLs, a HEADER line; stops at a field that spans lines', () => {
    const csv: CopyOptions = { csv: true, delimiter: ',', nullString: '', header: true, quote: '"', escape: '"' };
    const spec: CopyEncodeSpec = { ...SPEC, options: csv };
    const csvField = (v: string | null): string => (v === null ? '' : v === '' || /[,"\\\r\n]/.test(v) || v.startsWith(' ') ? `"${v.replace(/"/g, '""')}"` : v);
    const oneLineText = fc.oneof(fc.string({ maxLength: 10 }).filter((x) => !/[\r\n]/.test(x)), fc.constantFrom('a,b', 'say "hi"', '"', '', 'ünï,"cödé"'));
    const csvRow = fc.record({ name: fc.option(oneLineText, { nil: null }), score: fc.option(fc.integer(), { nil: null }), day: fc.integer({ min: 1, max: 28 }), note: fc.option(oneLineText, { nil: null }) });
    fc.assert(fc.property(fc.array(csvRow, { maxLength: 30 }), fc.option(fc.nat(), { nil: null }), (rows, multiAt) => {
      const lines = rows.map((r, i) => [String(i + 1), csvField(r.name), r.score === null ? '' : String(r.score), `2024-03-${String(r.day).padStart(2, '0')}`, csvField(r.note)].join(','));
      let stopAt = lines.length;
      if (multiAt !== null) {
        stopAt = multiAt % (lines.length + 1);
        lines.splice(stopAt, 0, '999,"two\nlines",1,2024-01-01,x');
      }
      const input = Buffer.from(['id,name,score,created,note', ...lines].map((l) => `${l}\n`).join(''));
      const r = new CopyEncoder(spec).encode(input);
      expect(r.skippedLines).toBe(1);
      expect(r.stopped).toBe(multiAt !== null);
      expect(r.count).toBe(stopAt);
      const expected = lines.slice(0, stopAt).map((l) => {
        const fields = splitCsv(l, csv);
        const row: Datum[] = fields.map((f, i) => (f === null ? null : textIn(TYPES[i]!, f, { timeZone: 'UTC' })));
        return [encodePrefixedKey(SPEC.prefix, SPEC.keyTypes, row, [0]).toString('hex'), Buffer.from(encodeRow(TYPES, row)).toString('hex')];
      });
      expect(rowsOf(r)).toEqual(expected);
    }), { numRuns: 300 });
  });

  it('the worker thread returns the same rows for input split anywhere', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => line(i + 1, { name: `n${i} ü`, score: i / 7, day: (i % 28) + 1, note: i % 5 === 0 ? null : 'a\\b' }));
    const input = Buffer.from(lines.map((l) => `${l}\n`).join(''));
    const direct = rowsOf(new CopyEncoder(SPEC).encode(input));
    for (const seed of [1, 2, 3]) {
      const p = CopyPipeline.open(SPEC);
      expect(p).toBeDefined();
      let at = 0, n = seed;
      while (at < input.length) {
        n = (n * 1103515245 + 12345) % 2147483648;
        const size = 1 + (n % 70000);
        p!.push(input.subarray(at, at + size));
        at += size;
      }
      p!.finish();
      const got: Array<[string, string]> = [];
      let end: number | undefined;
      while (end === undefined) {
        const m = await p!.next(true);
        if (m === undefined || m.type === 'failed') throw new Error('worker failed');
        if (m.type === 'rows') got.push(...rowsOf(m.rows)); else end = m.offset;
      }
      p!.close();
      expect(end).toBe(input.length);
      expect(got).toEqual(direct);
    }
  });

  it('blocks spread over the workers stop, in input order, where one encoder stops on the whole input', async () => {
    // CSV with a field spanning lines: the blocks are cut at newlines, so one may start inside
    // that field and encode nonsense; its rows must never come before the stop at the field.
    const csv: CopyOptions = { csv: true, delimiter: ',', nullString: '', header: true, quote: '"', escape: '"' };
    const spec: CopyEncodeSpec = { ...SPEC, options: csv };
    const rowLine = (i: number): string => `${i},"n,${i}",${i / 4},2024-03-${String((i % 28) + 1).padStart(2, '0')},x`;
    for (const multiAt of [2_000, 9_000, 17_000]) {
      const lines = ['id,name,score,created,note'];
      for (let i = 1; i <= 20_000; i++) lines.push(i === multiAt ? `${i},"a\n${'b,\n'.repeat(3)}",1,2024-01-01,"c\nd"` : rowLine(i));
      const input = Buffer.from(lines.map((l) => `${l}\n`).join(''));
      const direct = new CopyEncoder(spec).encode(input);
      expect(direct.stopped).toBe(true);
      for (const seed of [7, 8]) {
        const p = CopyPipeline.open(spec)!;
        let at = 0, n = seed;
        while (at < input.length) {
          n = (n * 1103515245 + 12345) % 2147483648;
          const size = 1 + (n % 50000);
          p.push(input.subarray(at, at + size));
          at += size;
        }
        p.finish();
        const got: Array<[string, string]> = [];
        let stop: number | undefined;
        let skipped = 0;
        while (stop === undefined) {
          const m = await p.next(true);
          if (m === undefined || m.type !== 'rows') throw new Error(`unexpected answer ${JSON.stringify(m)}`);
          got.push(...rowsOf(m.rows));
          skipped += m.rows.skippedLines;
          if (m.rows.stopped) stop = m.offset + m.rows.consumed;
        }
        p.close();
        expect(stop).toBe(direct.consumed);
        expect(skipped).toBe(1);
        expect(got).toEqual(rowsOf(direct));
      }
    }
  });
});

describe('bulk-load worker warm-up', () => {
  it('its synthetic lines are plain data that the encoder takes whole (else it would compile nothing)', () => {
    for (const start of [1, 5_001, 11_501]) {
      const block = warmUpLines(start, 500);
      const r = new CopyEncoder(WARM_UP_SPEC).encode(block, false);
      expect(r.stopped).toBe(false);
      expect(r.count).toBe(500);
      expect(r.consumed).toBe(block.length);
    }
  });
});
