// A result sink for a statement run through an extended-protocol portal: the client learned the
// row shape from Describe, so a RowDescription in the Execute's output would be a second one
// (libpq rejects the rows that follow it). Utility statements that return rows (SHOW, FETCH,
// EXPLAIN) write one for the simple-query protocol; this drops it and forwards the rest.
import type { FieldDescription, NoticeFields, ResultSink, WireValue } from './session-api.js';

export class PortalSink implements ResultSink {
  constructor(private readonly inner: ResultSink) {}
  rowDescription(_fields: readonly FieldDescription[]): void { /* sent by Describe */ }
  dataRow(values: readonly WireValue[]): void { this.inner.dataRow(values); }
  commandComplete(tag: string): void { this.inner.commandComplete(tag); }
  emptyQuery(): void { this.inner.emptyQuery(); }
  portalSuspended(): void { this.inner.portalSuspended(); }
  notice(notice: NoticeFields): void { this.inner.notice(notice); }
  parameterStatus(name: string, value: string): void { this.inner.parameterStatus(name, value); }
  copyIn(format: 0 | 1, columnFormats: readonly (0 | 1)[]): AsyncIterable<Uint8Array> { return this.inner.copyIn(format, columnFormats); }
  copyOutStart(format: 0 | 1, columnFormats: readonly (0 | 1)[]): void { this.inner.copyOutStart(format, columnFormats); }
  copyData(chunk: Uint8Array): void { this.inner.copyData(chunk); }
  copyDone(): void { this.inner.copyDone(); }
}
