// Sequence values: nextval/currval/setval state kept in memory and made durable outside the
// calling transaction (sequences are not transactional in PostgreSQL). As PostgreSQL WAL-logs
// sequences 32 values ahead, each durable write reserves a block of values, so a crash may skip
// some values but never hands one out twice.
import { SqlError, SQLSTATE } from '../../base/index.js';
import { sequenceKey } from '../../keys/index.js';
import type { SequenceDesc } from '../../catalog/index.js';
import type { TxnManager } from '../../txn/index.js';

const PREFETCH = 32n;

interface SeqState {
  /** Last value handed out (or the start-1 step before the first call). */
  last: bigint;
  isCalled: boolean;
  /** Highest value made durable; values above it need a new durable reservation. */
  reservedUpTo: bigint;
}

export class SequenceStore {
  private readonly states = new Map<number, SeqState>();
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly txns: TxnManager) {}

  private load(seq: SequenceDesc): SeqState {
    let s = this.states.get(seq.oid);
    if (s === undefined) {
      const txn = this.txns.begin({ isolation: 'read committed' });
      const raw = txn.get(sequenceKey(seq.oid));
      txn.rollback();
      if (raw === undefined) {
        s = { last: BigInt(seq.start), isCalled: false, reservedUpTo: BigInt(seq.start) - BigInt(seq.increment) };
      } else {
        const [last, called] = Buffer.from(raw).toString('utf8').split(':');
        // After a restart, continue after the reserved block (values there may have been used).
        s = { last: BigInt(last!), isCalled: called === 't', reservedUpTo: BigInt(last!) };
      }
      this.states.set(seq.oid, s);
    }
    return s;
  }

  nextval(seq: SequenceDesc): bigint {
    const s = this.load(seq);
    const inc = BigInt(seq.increment);
    const min = BigInt(seq.min);
    const max = BigInt(seq.max);
    let next = s.isCalled ? s.last + inc : s.last;
    if (next > max || next < min) {
      if (!seq.cycle) {
        throw new SqlError(SQLSTATE.SEQUENCE_GENERATOR_LIMIT_EXCEEDED,
          `nextval: reached ${inc > 0n ? 'maximum' : 'minimum'} value of sequence "${seq.name}" (${inc > 0n ? max : min})`);
      }
      next = inc > 0n ? min : max;
    }
    s.last = next;
    s.isCalled = true;
    const beyond = inc > 0n ? next > s.reservedUpTo : next < s.reservedUpTo;
    if (beyond) {
      const reserve = next + inc * (PREFETCH - 1n);
      s.reservedUpTo = reserve;
      this.persist(seq.oid, reserve, true);
    }
    return next;
  }

  setval(seq: SequenceDesc, value: bigint, isCalled: boolean): bigint {
    const min = BigInt(seq.min);
    const max = BigInt(seq.max);
    if (value < min || value > max) {
      throw new SqlError(SQLSTATE.NUMERIC_VALUE_OUT_OF_RANGE,
        `setval: value ${value} is out of bounds for sequence "${seq.name}" (${min}..${max})`);
    }
    const s = this.load(seq);
    s.last = value;
    s.isCalled = isCalled;
    s.reservedUpTo = value;
    this.persist(seq.oid, value, isCalled);
    return value;
  }

  /** Drops state of a dropped sequence. */
  forget(oid: number): void {
    this.states.delete(oid);
  }

  /** RESTART: back to the start value. */
  restart(seq: SequenceDesc, value?: bigint): void {
    const start = value ?? BigInt(seq.start);
    this.states.set(seq.oid, { last: start, isCalled: false, reservedUpTo: start - BigInt(seq.increment) });
    this.persist(seq.oid, start, false);
  }

  lastValue(seq: SequenceDesc): { last: bigint; isCalled: boolean } {
    const s = this.load(seq);
    return { last: s.last, isCalled: s.isCalled };
  }

  private persist(oid: number, value: bigint, isCalled: boolean): void {
    const txn = this.txns.begin({ isolation: 'read committed' });
    txn.put(sequenceKey(oid), Buffer.from(`${value}:${isCalled ? 't' : 'f'}`, 'utf8'));
    // Commits are ordered by the store: a row using a value commits after this reservation.
    const commit = txn.commit();
    this.pending = this.pending.then(() => commit).catch(() => undefined);
  }

  flush(): Promise<void> {
    return this.pending;
  }
}
