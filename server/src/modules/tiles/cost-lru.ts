/**
 * A least-recently-used map bounded by the summed cost of its values (features of a tile index,
 * bytes of an encoded tile) rather than by their number: one province county's micro-grid index
 * weighs a hundred times a town index, so a count bound would hold either too little or too much.
 * A value costlier than the whole budget is not kept at all.
 */
export class CostLru<K, V> {
  private readonly entries = new Map<K, { value: V; cost: number }>();
  private used = 0;

  constructor(private readonly budget: number) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, cost: number): void {
    this.delete(key);
    if (cost > this.budget) return;
    this.entries.set(key, { value, cost });
    this.used += cost;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.budget) break;
      this.entries.delete(oldest);
      this.used -= entry.cost;
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.used -= entry.cost;
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The summed cost of what is held. */
  get cost(): number {
    return this.used;
  }
}
