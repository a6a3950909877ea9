/**
 * A least-recently-used cache on a Map: a Map iterates in insertion order, so re-inserting an entry on
 * every hit keeps the least recently used one first, and eviction is deleting the first key.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();
  #hits = 0;
  #misses = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  // No contract here on purpose: a hit takes a few hundred nanoseconds, the same order as the two clock
  // reads a probe costs. Operations this small are budgeted by their benchmark (cache.bench.ts); the
  // contract sits one level up, on OrderService.quote.
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  get stats(): { readonly hits: number; readonly misses: number; readonly hitRate: number } {
    const total = this.#hits + this.#misses;
    return { hits: this.#hits, misses: this.#misses, hitRate: total === 0 ? 0 : this.#hits / total };
  }
}
