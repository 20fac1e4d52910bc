/** One admitted request in a window: when, under which lease, and the tokens it is counted for. */
export interface WindowEntry {
  readonly lease: string;
  readonly at: number;
  tokens: number;
}

/** Compact the backing array once this many entries have left the window and they are most of it. */
const COMPACT_AFTER = 1024;

/**
 * A sliding window's entries in admission order, with their token total kept as they come and go.
 * Entries are appended at the tail and drop off the head as they age out, so an admission costs
 * the same with 10 or 100,000 entries in the minute (a filter over the whole log per request made
 * a busy embedded gateway spend most of its time here). A correctable log finds its entries by
 * lease, to correct their tokens on release.
 */
export class WindowLog {
  private entries: WindowEntry[] = [];
  private head = 0;
  /** Only a log whose entries are corrected (the token log) indexes them by lease. */
  private readonly byLease?: Map<string, WindowEntry>;
  /** The sum of the entries' tokens. */
  total = 0;

  constructor({ correctable }: { correctable: boolean }) {
    if (correctable) this.byLease = new Map();
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /** The entry at `index`, 0 being the oldest still in the window. */
  at(index: number): WindowEntry {
    return this.entries[this.head + index];
  }

  add(entry: WindowEntry): void {
    this.entries.push(entry);
    this.byLease?.set(entry.lease, entry);
    this.total += entry.tokens;
  }

  /** Sets the tokens of the lease's entry, if it is still in the window (a correctable log only). */
  correct(lease: string, tokens: number): void {
    const entry = this.byLease?.get(lease);
    if (!entry) return;
    this.total += tokens - entry.tokens;
    entry.tokens = tokens;
  }

  /** Drops the entries admitted at or before `cutoff`. */
  prune(cutoff: number): void {
    const { entries } = this;
    let head = this.head;
    while (head < entries.length && entries[head].at <= cutoff) {
      const entry = entries[head++];
      this.total -= entry.tokens;
      this.byLease?.delete(entry.lease);
    }
    if (head === entries.length) {
      this.entries = [];
      head = 0;
    } else if (head >= COMPACT_AFTER && head * 2 >= entries.length) {
      this.entries = entries.slice(head);
      head = 0;
    }
    this.head = head;
  }
}
