/**
 * Freezes a resolved config all the way down, so no reader can change what another one reads. Its own module
 * (no valibot, no yaml): the CLI's config cache (cli/config-cache.ts) freezes what it reads without loading them.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
