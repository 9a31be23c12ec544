// MessageReader: any sequence of frontend messages, cut into chunks anywhere, reads back as the
// same messages (the header read in place from one chunk, or joined across chunks).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageReader, ProtocolViolation } from './message-reader.js';

const TYPES = [0x51, 0x50, 0x42, 0x45, 0x53, 0x44, 0x43, 0x48, 0x64];

function frame(type: number, body: Uint8Array): Buffer {
  const b = Buffer.alloc(5 + body.length);
  b[0] = type;
  b.writeInt32BE(4 + body.length, 1);
  b.set(body, 5);
  return b;
}

describe('MessageReader', () => {
  it('reads back every message whatever the chunk boundaries', () => {
    const message = fc.record({ type: fc.constantFrom(...TYPES), body: fc.uint8Array({ maxLength: 300 }) });
    fc.assert(fc.property(fc.array(message, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 10 }), (msgs, cuts) => {
      const all = Buffer.concat(msgs.map((m) => frame(m.type, m.body)));
      const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
      const reader = new MessageReader({ startupPacketBytesMax: 10_000, messageBytesMax: 1 << 20 });
      reader.startupPhase = false;
      const got: Array<{ type: number; body: number[] }> = [];
      let from = 0;
      for (const p of [...points, all.length]) {
        reader.push(all.subarray(from, p));
        from = p;
        for (let m = reader.next(); m !== null; m = reader.next()) got.push({ type: m.type, body: [...m.body] });
      }
      expect(got).toEqual(msgs.map((m) => ({ type: m.type, body: [...m.body] })));
      expect(reader.bufferedBytes).toBe(0);
    }));
  });

  it('rejects an unknown type and a bad length, in one chunk or split', () => {
    for (const split of [false, true]) {
      const bad = [Buffer.from([0x7a, 0, 0, 0, 4]), Buffer.from([0x51, 0, 0, 0, 3])];
      for (const b of bad) {
        const reader = new MessageReader({ startupPacketBytesMax: 10_000, messageBytesMax: 1 << 20 });
        reader.startupPhase = false;
        if (split) { reader.push(b.subarray(0, 2)); reader.push(b.subarray(2)); } else reader.push(b);
        expect(() => reader.next()).toThrow(ProtocolViolation);
      }
    }
  });
});
