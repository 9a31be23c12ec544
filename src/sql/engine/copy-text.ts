// PostgreSQL's COPY text format, the parts shared by the statement (copy.ts) and the bulk-load
// worker (copy-encode.ts): options, splitting a text or CSV line into fields, undoing backslash
// escapes.

export interface CopyOptions {
  csv: boolean;
  delimiter: string;
  nullString: string;
  header: boolean;
  quote: string;
  escape: string;
}

/** The fields of a text-format line (null for the NULL string), backslash escapes undone. */
export function splitText(line: string, opts: CopyOptions): Array<string | null> {
  const fields: Array<string | null> = line.split(opts.delimiter);
  const escaped = line.includes('\\');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f === opts.nullString) fields[i] = null;
    else if (escaped) fields[i] = unescapeText(f);
  }
  return fields;
}

export function unescapeText(f: string): string {
  if (!f.includes('\\')) return f;
  let out = '';
  for (let i = 0; i < f.length; i++) {
    const ch = f[i]!;
    if (ch !== '\\' || i === f.length - 1) { out += ch; continue; }
    const nx = f[++i]!;
    switch (nx) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(f.slice(i + 1));
        if (m === null) { out += 'x'; break; }
        out += String.fromCharCode(parseInt(m[0], 16));
        i += m[0].length;
        break;
      }
      default:
        if (nx >= '0' && nx <= '7') {
          const m = /^[0-7]{1,3}/.exec(f.slice(i))!;
          out += String.fromCharCode(parseInt(m[0], 8));
          i += m[0].length - 1;
        } else out += nx;
    }
  }
  return out;
}

/** The fields of a CSV line (null for an unquoted NULL string). */
export function splitCsv(line: string, opts: CopyOptions): Array<string | null> {
  const out: Array<string | null> = [];
  let i = 0;
  for (;;) {
    let value = '';
    let quoted = false;
    while (i < line.length && line[i] !== opts.delimiter) {
      const ch = line[i]!;
      if (ch === opts.quote) {
        quoted = true;
        i++;
        while (i < line.length) {
          const c = line[i]!;
          if (c === opts.escape && line[i + 1] === opts.quote && (opts.escape !== opts.quote || true)) {
            if (opts.escape === opts.quote && line[i + 1] !== opts.quote) break;
            value += opts.quote;
            i += 2;
            continue;
          }
          if (c === opts.quote) { i++; break; }
          value += c;
          i++;
        }
        continue;
      }
      value += ch;
      i++;
    }
    out.push(!quoted && value === opts.nullString ? null : value);
    if (i >= line.length) break;
    i++;
  }
  return out;
}
