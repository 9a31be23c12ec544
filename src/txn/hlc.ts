// Hybrid logical clock: timestamps are (wall milliseconds << 16) | logical counter, as bigints.
// Strictly increasing within a process, and started above the store's highest applied commitTs so
// they stay monotonic across restarts even if the wall clock went backwards. The wall clock is
// injectable for tests.
export const HLC_LOGICAL_BITS = 16n;

export type WallClock = () => number;

export class Hlc {
  private last: bigint;
  private readonly wall: WallClock;

  constructor(wall: WallClock = Date.now, floor = 0n) {
    this.wall = wall;
    this.last = floor;
  }

  /** A timestamp greater than every one returned or observed before. */
  now(): bigint {
    const w = BigInt(Math.floor(this.wall())) << HLC_LOGICAL_BITS;
    this.last = w > this.last ? w : this.last + 1n;
    return this.last;
  }

  /** Moves the clock past a timestamp seen elsewhere (another node, a restart). */
  observe(ts: bigint): void {
    if (ts > this.last) this.last = ts;
  }

  /** The last timestamp issued or observed. */
  peek(): bigint { return this.last; }

  static wallMs(ts: bigint): number { return Number(ts >> HLC_LOGICAL_BITS); }
}
