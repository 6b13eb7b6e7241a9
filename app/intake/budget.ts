// One memory budget for everything the App holds on behalf of a client nobody has vouched for yet: each open
// connection's share (headers, parser) and each webhook body read before its signature is checked. When it
// is full, room goes to the newcomer only by dropping a holder that has waited longer than a grace period
// or holds more than the newcomer would: a slow or large sender cannot starve GitHub's small, quick deliveries.

/** Something that holds part of the budget: a connection, with its body bytes while one is being read. */
export interface BudgetHolder {
  /** Whether dropping it now loses nothing GitHub sent (a verified delivery being handled is not). */
  readonly evictable: boolean;
  /** Drops it: refuses its request or closes its connection, and releases what it holds. */
  evict(): void;
}

interface Holding {
  bytes: number;
  /** When it last started to wait for a client (a connection opened, a body began, an idle keep-alive). */
  since: number;
}

export class UnverifiedBudget {
  private used = 0;
  /** Insertion order is `since` order: restart() moves a holder to the end. */
  private readonly holdings = new Map<BudgetHolder, Holding>();

  constructor(
    /** Bytes in all; a reservation that would pass it evicts, or fails. */
    readonly capacity: number,
    /** A holder younger than this is never evicted for being old, only for being larger. */
    private readonly graceMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Bytes held by all holders together. */
  get bytes(): number {
    return this.used;
  }

  /** Bytes held by one holder (0 for one the budget does not know). */
  held(holder: BudgetHolder): number {
    return this.holdings.get(holder)?.bytes ?? 0;
  }

  /**
   * Adds `bytes` to what `holder` holds (starting to track it if new), evicting others to make room: first
   * those waiting longer than the grace period, oldest first, then any holding more than `holder` would.
   * False, and nothing reserved, when that is not enough.
   */
  reserve(holder: BudgetHolder, bytes: number): boolean {
    const own = this.held(holder);
    const tried = new Set<BudgetHolder>([holder]);
    while (this.used + bytes > this.capacity) {
      const victim = this.victim(own + bytes, tried);
      if (!victim) return false;
      tried.add(victim);
      victim.evict();
      // An eviction that did not release (a holder already gone) must not loop: forget it outright.
      this.remove(victim);
    }
    const holding = this.holdings.get(holder);
    if (holding) holding.bytes += bytes;
    else this.holdings.set(holder, { bytes, since: this.now() });
    this.used += bytes;
    return true;
  }

  /** Gives back up to `bytes` of what `holder` holds. */
  release(holder: BudgetHolder, bytes: number): void {
    const holding = this.holdings.get(holder);
    if (!holding) return;
    const freed = Math.min(bytes, holding.bytes);
    holding.bytes -= freed;
    this.used -= freed;
  }

  /** The holder starts a new wait (a body begins, a keep-alive goes idle): its grace period starts again. */
  restart(holder: BudgetHolder): void {
    const holding = this.holdings.get(holder);
    if (!holding) return;
    this.holdings.delete(holder);
    holding.since = this.now();
    this.holdings.set(holder, holding);
  }

  /** Forgets the holder and everything it holds (its connection closed). */
  remove(holder: BudgetHolder): void {
    const holding = this.holdings.get(holder);
    if (!holding) return;
    this.used -= holding.bytes;
    this.holdings.delete(holder);
  }

  private victim(needed: number, tried: ReadonlySet<BudgetHolder>): BudgetHolder | undefined {
    const graceStart = this.now() - this.graceMs;
    let largest: BudgetHolder | undefined;
    let largestBytes = needed;
    for (const [holder, holding] of this.holdings) {
      if (tried.has(holder) || !holder.evictable) continue;
      if (holding.since <= graceStart) return holder;
      if (holding.bytes > largestBytes) {
        largest = holder;
        largestBytes = holding.bytes;
      }
    }
    return largest;
  }
}
