// The backend message encoder checked against an independent decoder (pg-protocol's client-side
// Parser): random rows of text, NULLs and bytes, row descriptions, errors and notices, and the
// buffer hand-over in take() that must never let later writes corrupt earlier output.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Parser } from 'pg-protocol/dist/parser.js';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { SqlError } from '../base/index.js';
import { MessageWriter } from './message-writer.js';

function decode(bytes: Buffer, mode: 'text' | 'binary' = 'text'): BackendMessage[] {
  const out: BackendMessage[] = [];
  new Parser({ mode }).parse(bytes, (m) => out.push(m));
  return out;
}

const textValue = fc.option(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 6000 })), { nil: null });

describe('MessageWriter', () => {
  it('encodes data rows that pg-protocol decodes to the same values', () => {
    fc.assert(fc.property(fc.array(fc.array(textValue, { maxLength: 6 }), { maxLength: 20 }),
      (rows) => {
        const w = new MessageWriter();
        for (const r of rows) w.dataRow(r);
        w.commandComplete(`SELECT ${rows.length}`);
        const msgs = decode(w.take());
        expect(msgs.length).toBe(rows.length + 1);
        rows.forEach((r, i) => {
          const m = msgs[i] as unknown as { name: string; fields: unknown[] };
          expect(m.name).toBe('dataRow');
          expect(m.fields).toEqual(r);
        });
        expect((msgs.at(-1) as unknown as { text: string }).text).toBe(`SELECT ${rows.length}`);
      }), { numRuns: 60 });
  });

  it('encodes binary values byte for byte', () => {
    const w = new MessageWriter();
    const bytes = Uint8Array.from([0, 1, 2, 255, 0]);
    w.dataRow([bytes, null, new Uint8Array(0)]);
    const out = w.take();
    // 'D', length, 3 columns: int32 5 + bytes, int32 -1, int32 0.
    const expected = Buffer.concat([Buffer.from('D'), Buffer.from([0, 0, 0, 23, 0, 3]),
      Buffer.from([0, 0, 0, 5]), Buffer.from(bytes), Buffer.from([255, 255, 255, 255]),
      Buffer.from([0, 0, 0, 0])]);
    expect(out.equals(expected)).toBe(true);
  });

  it('encodes row descriptions, parameter descriptions and ready-for-query', () => {
    const w = new MessageWriter();
    w.rowDescription([
      { name: 'naïve', tableOid: 16384, columnAttr: 2, typeOid: 25, typeSize: -1, typmod: -1,
        format: 0 },
      { name: 'n', tableOid: 0, columnAttr: 0, typeOid: 23, typeSize: 4, typmod: -1, format: 1 },
    ]);
    w.parameterDescription([23, 3_000_000_000]);
    w.readyForQuery('E');
    const [rd, pd, z] = decode(w.take()) as unknown as [
      { fields: Array<Record<string, unknown>> }, { dataTypeIDs: number[] }, { status: string }];
    expect(rd.fields[0]).toMatchObject({ name: 'naïve', tableID: 16384, columnID: 2,
      dataTypeID: 25, dataTypeSize: -1, dataTypeModifier: -1, format: 'text' });
    expect(rd.fields[1]).toMatchObject({ name: 'n', dataTypeID: 23, dataTypeSize: 4,
      format: 'binary' });
    expect(pd.dataTypeIDs[0]).toBe(23);
    expect(pd.dataTypeIDs[1]! >>> 0).toBe(3_000_000_000);
    expect(z.status).toBe('E');
  });

  it('encodes errors and notices with every field', () => {
    const w = new MessageWriter();
    w.errorResponse(new SqlError('23505', 'duplicate key', {
      detail: 'd', hint: 'h', position: 12, schema: 's', table: 't', column: 'c',
      datatype: 'dt', constraint: 'k',
    }));
    w.noticeResponse({ severity: 'WARNING', code: '01000', message: 'careful', hint: 'hh' });
    const [e, n] = decode(w.take()) as unknown as Array<Record<string, unknown>>;
    expect(e).toMatchObject({ name: 'error', severity: 'ERROR', code: '23505',
      message: 'duplicate key', detail: 'd', hint: 'h', position: '12', schema: 's', table: 't',
      column: 'c', dataType: 'dt', constraint: 'k' });
    expect(n).toMatchObject({ name: 'notice', severity: 'WARNING', code: '01000',
      message: 'careful', hint: 'hh' });
  });

  it('never lets later writes change bytes already taken', () => {
    const w = new MessageWriter();
    w.dataRow(['x'.repeat(20_000)]);
    const big = w.take();
    const bigCopy = Buffer.from(big);
    w.commandComplete('A');
    const small = w.take();
    const smallCopy = Buffer.from(small);
    w.dataRow(['y'.repeat(20_000)]);
    w.commandComplete('B');
    w.take();
    expect(big.equals(bigCopy)).toBe(true);
    expect(small.equals(smallCopy)).toBe(true);
    expect(w.length).toBe(0);
  });
});
