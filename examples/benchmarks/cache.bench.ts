import { bench, do_not_optimize } from "@choragen/perf/bench";
import { LruCache } from "../src/cache/lru-cache";

const KEYS = 10_000;
const keys = Array.from({ length: KEYS }, (_, i) => `cart-${i}`);

bench("cache: get (hit)", function* () {
  const cache = new LruCache<string, number>(KEYS);
  for (const [i, key] of keys.entries()) cache.set(key, i);
  let i = 0;
  yield () => do_not_optimize(cache.get(keys[i++ % KEYS] as string));
}).budget({ p50: { max: 5, unit: "us" } });

bench("cache: get (miss)", function* () {
  const cache = new LruCache<string, number>(KEYS);
  let i = 0;
  yield () => do_not_optimize(cache.get(keys[i++ % KEYS] as string));
});

bench("cache: set with eviction", function* () {
  // A cache a tenth the size of the key space: nine sets in ten evict the least recently used entry.
  const cache = new LruCache<string, number>(KEYS / 10);
  let i = 0;
  yield () => cache.set(keys[i++ % KEYS] as string, i);
});
