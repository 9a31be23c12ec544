// COPY text lines to encoded rows, for the bulk-load worker (copy-worker.ts): each complete line of
// a block is split, its fields read with the column types' input functions, NOT NULL checked, and
// the row's storage key and stored encoding appended to packed output. It handles the lines that
// are plain data and stops at the first one that is anything else (an error of any kind, a
// carriage return, the end marker): the statement reads from there on itself (copy.ts), so that
// every error and every unusual line gets exactly the treatment it always had.
import { isAscii, isUtf8 } from 'node:buffer';
import { encodePrefixedKey, encodeRowTransient, textIn, type Datum, type SqlType } from '../types/index.js';
import { splitCsv, splitText, type CopyOptions } from './copy-text.js';

/** What the worker needs to know of the table and the statement (structured-cloneable). */
export interface CopyEncodeSpec {
  /** The physical row's column types (dropped columns included, stored as NULL). */
  types: SqlType[];
  /** Physical position of each input field, in input order (every live column once). */
  positions: number[];
  /** Per physical column: NOT NULL. */
  notNull: boolean[];
  /** Storage key: column positions and types ([] for a hidden-rowid table: no key is made). */
  keyPositions: number[];
  keyTypes: SqlType[];
  prefix: Uint8Array;
  keyBytesMax: number;
  options: CopyOptions;
  timeZone: string;
}

/** Rows encoded from the complete lines at the start of a block. */
export interface EncodedRows {
  count: number;
  /** Keys and values packed end to end; keyEnds[i] / valueEnds[i] end row i. */
  keys: Uint8Array;
  keyEnds: Int32Array;
  values: Uint8Array;
  valueEnds: Int32Array;
  /** Bytes of the block the rows came from (whole lines, with their newlines). */
  consumed: number;
  /** The line at consumed is one the encoder does not handle. */
  stopped: boolean;
  /** Lines consumed without a row (the HEADER line). */
  skippedLines: number;
}

class Packed {
  bytes = new Uint8Array(1 << 16);
  used = 0;
  ends = new Int32Array(1024);
  count = 0;
  push(b: Uint8Array): void {
    if (this.used + b.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + b.length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(b, this.used);
    this.used += b.length;
    if (this.count === this.ends.length) {
      const grown = new Int32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.count++] = this.used;
  }
}

const NEWLINE = 10;

export class CopyEncoder {
  private readonly row: Datum[];
  private readonly settings: { timeZone: string };
  /** The character whose presence sends a line to the full parser: backslash, or the CSV quote. */
  private readonly special: string;

  constructor(private readonly spec: CopyEncodeSpec) {
    this.row = new Array<Datum>(spec.types.length).fill(null);
    this.settings = { timeZone: spec.timeZone };
    this.special = spec.options.csv ? spec.options.quote : '\\';
  }

  /** Whether the encoder can serve a statement with these options at all. */
  static accepts(options: CopyOptions): boolean {
    const plain = (c: string): boolean => c.length === 1 && c.charCodeAt(0) < 128 && c !== '\n' && c !== '\r';
    if (!plain(options.delimiter)) return false;
    if (options.csv) return plain(options.quote) && plain(options.escape) && options.quote !== options.delimiter;
    return options.delimiter !== '\\';
  }

  /**
   * Encodes the complete lines at the start of block, up to the first line it does not handle.
   * atStart: the block begins the input, so its first line is the HEADER line if there is one.
   */
  encode(block: Buffer, atStart = true): EncodedRows {
    const keys = new Packed(), values = new Packed();
    const whole = block.lastIndexOf(NEWLINE) + 1;
    const bytes = block.subarray(0, whole);
    // Lines are cut out of one string of the block (invalid UTF-8: the statement reports it itself).
    const ascii = isAscii(bytes);
    const text = ascii ? bytes.toString('latin1') : isUtf8(bytes) ? bytes.toString('utf8') : '';
    let pos = 0;
    let stopped = !ascii && text === '' && whole > 0;
    // the next carriage return and special character, looked up once per block, not per line
    const cr = text.indexOf('\r');
    let special = text.indexOf(this.special);
    const end = text.length;
    let skippedLines = 0;
    if (!stopped && atStart && this.spec.options.header && pos < end) {
      const nl = text.indexOf('\n');
      if (cr !== -1 && cr < nl) stopped = true;
      else { pos = nl + 1; skippedLines = 1; }
    }
    while (!stopped && pos < end) {
      const nl = text.indexOf('\n', pos);
      if (cr !== -1 && cr < nl) { stopped = true; break; }
      if (special !== -1 && special < pos) special = text.indexOf(this.special, pos);
      const full = special !== -1 && special < nl;
      if (!this.encodeLine(text, pos, nl, full, keys, values)) { stopped = true; break; }
      pos = nl + 1;
    }
    return {
      count: values.count,
      keys: keys.bytes.subarray(0, keys.used), keyEnds: keys.ends.subarray(0, keys.count),
      values: values.bytes.subarray(0, values.used), valueEnds: values.ends.subarray(0, values.count),
      consumed: ascii || pos === 0 ? pos : Buffer.byteLength(text.slice(0, pos)), stopped, skippedLines,
    };
  }

  /** full: the line holds the special character and needs the full parser. */
  private encodeLine(text: string, start: number, end: number, full: boolean, keys: Packed, values: Packed): boolean {
    const spec = this.spec;
    const positions = spec.positions;
    const row = this.row;
    const csv = spec.options.csv;
    // the end-of-data marker
    if (end - start === 2 && text.charCodeAt(start) === 92 && text.charCodeAt(start + 1) === 46) return false;
    try {
      if (full) {
        const line = text.slice(start, end);
        if (csv) {
          // a quoted field that goes on past the newline, or escapes to read: the full parser
          if (spec.options.escape !== spec.options.quote && line.includes(spec.options.escape)) return false;
          let quotes = 0;
          for (let i = line.indexOf(spec.options.quote); i !== -1; i = line.indexOf(spec.options.quote, i + 1)) quotes++;
          if (quotes % 2 === 1) return false;
        } else if (trailingBackslashes(line) % 2 === 1) {
          return false; // an escaped line end: the line goes on past the newline
        }
        const fields = csv ? splitCsv(line, spec.options) : splitText(line, spec.options);
        if (fields.length !== positions.length) return false;
        for (let i = 0; i < fields.length; i++) if (!this.field(positions[i]!, fields[i]!)) return false;
      } else {
        const delimiter = spec.options.delimiter, nullString = spec.options.nullString;
        let p = start;
        for (let i = 0; i < positions.length; i++) {
          let e = text.indexOf(delimiter, p);
          if (e === -1 || e > end) e = end;
          if ((i === positions.length - 1) !== (e === end)) return false; // too few or too many fields
          const f = text.slice(p, e);
          if (!this.field(positions[i]!, f === nullString ? null : f)) return false;
          p = e + 1;
        }
      }
      if (spec.keyPositions.length > 0) {
        const key = encodePrefixedKey(spec.prefix, spec.keyTypes, row, spec.keyPositions);
        if (key.length > spec.keyBytesMax) return false;
        keys.push(key);
      }
      values.push(encodeRowTransient(spec.types, row));
      return true;
    } catch {
      return false;
    }
  }

  private field(position: number, text: string | null): boolean {
    if (text === null) {
      if (this.spec.notNull[position] === true) return false;
      this.row[position] = null;
      return true;
    }
    this.row[position] = textIn(this.spec.types[position]!, text, this.settings);
    return true;
  }
}

function trailingBackslashes(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s.charCodeAt(i) === 92; i--) n++;
  return n;
}
