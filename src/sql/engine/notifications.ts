// LISTEN / NOTIFY: the database's channels and who listens on them, each session's notifications
// waiting for its transaction to commit (duplicates within a transaction sent once, as PostgreSQL
// folds them), and each listener's inbox, which its connection empties between transactions.
import { SqlError, SQLSTATE } from '../../base/index.js';

/** PostgreSQL's limit on a NOTIFY payload (bytes). */
const PAYLOAD_MAX_BYTES = 7999;

export interface Notification {
  /** The notifying session's process id. */
  pid: number;
  channel: string;
  payload: string;
}

/** A session's side: what it listens to, what it will send at commit, what it has received. */
export class Listener {
  readonly channels = new Set<string>();
  private readonly inbox: Notification[] = [];
  /** LISTEN / UNLISTEN / NOTIFY of the open transaction, applied at commit. */
  private pendingOps: Array<{ op: 'listen' | 'unlisten'; channel: string | null }> = [];
  private pendingNotifies: Notification[] = [];
  /** Set by the connection: called when a notification arrives. */
  onArrival: (() => void) | null = null;

  constructor(private readonly hub: NotificationHub, readonly pid: number) {}

  listen(channel: string): void { this.pendingOps.push({ op: 'listen', channel }); }

  /** UNLISTEN channel, or UNLISTEN * with null. */
  unlisten(channel: string | null): void { this.pendingOps.push({ op: 'unlisten', channel }); }

  notify(channel: string, payload: string): void {
    if (channel === '') throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'channel name cannot be empty');
    if (channel.length > 63) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'channel name too long');
    if (Buffer.byteLength(payload, 'utf8') > PAYLOAD_MAX_BYTES) throw new SqlError(SQLSTATE.INVALID_PARAMETER_VALUE, 'payload string too long');
    if (this.pendingNotifies.some((n) => n.channel === channel && n.payload === payload)) return;
    this.pendingNotifies.push({ pid: this.pid, channel, payload });
  }

  /** The transaction committed: listening changes take effect, its notifications go out. */
  commit(): void {
    for (const { op, channel } of this.pendingOps) {
      if (op === 'listen') this.hub.subscribe(this, channel!);
      else this.hub.unsubscribe(this, channel);
    }
    const out = this.pendingNotifies;
    this.pendingOps = [];
    this.pendingNotifies = [];
    for (const n of out) this.hub.publish(n);
  }

  /** The transaction rolled back: nothing it asked for happens. */
  rollback(): void {
    this.pendingOps = [];
    this.pendingNotifies = [];
  }

  deliver(n: Notification): void {
    this.inbox.push(n);
    this.onArrival?.();
  }

  /** Notifications received so far (the connection sends them when no transaction is open). */
  take(): Notification[] {
    return this.inbox.splice(0, this.inbox.length);
  }

  /** Session end: stops listening. */
  close(): void {
    this.hub.unsubscribe(this, null);
    this.onArrival = null;
  }
}

/** One database's channels. */
export class NotificationHub {
  private readonly byChannel = new Map<string, Set<Listener>>();

  subscribe(l: Listener, channel: string): void {
    let set = this.byChannel.get(channel);
    if (set === undefined) { set = new Set(); this.byChannel.set(channel, set); }
    set.add(l);
    l.channels.add(channel);
  }

  unsubscribe(l: Listener, channel: string | null): void {
    for (const c of channel === null ? [...l.channels] : [channel]) {
      const set = this.byChannel.get(c);
      set?.delete(l);
      if (set?.size === 0) this.byChannel.delete(c);
      l.channels.delete(c);
    }
  }

  publish(n: Notification): void {
    for (const l of this.byChannel.get(n.channel) ?? []) l.deliver(n);
  }
}
