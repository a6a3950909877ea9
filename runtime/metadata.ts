/** The part of reflect-metadata's API this needs; present only when the application loaded it. */
interface ReflectMetadata {
  getOwnMetadataKeys(target: object): unknown[];
  getOwnMetadata(key: unknown, target: object): unknown;
  defineMetadata(key: unknown, value: unknown, target: object): void;
}

/** Set by `instrument()` itself; everything else on the original function is someone else's. */
const OWN = new Set<string | symbol>(["name", "length", "prototype", "arguments", "caller"]);

/**
 * Carries what other decorators stored on a method over to our wrapper: `Reflect` metadata (NestJS's
 * `@Post()` puts `path` and `method` on the function, `@UsePipes()` puts `__pipes__`) and own properties.
 * Without this, a framework reading the wrapped method finds nothing when `@perf.latency` is written above
 * its decorators (decorators apply bottom-up, so ours wraps a function that already carries their data).
 * Runs once per decoration, never per call.
 */
export function keepMetadata(from: object, to: object): void {
  for (const key of Reflect.ownKeys(from)) {
    if (OWN.has(key) || Object.prototype.hasOwnProperty.call(to, key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(from, key);
    if (descriptor) Object.defineProperty(to, key, descriptor);
  }
  const reflect = Reflect as unknown as Partial<ReflectMetadata>;
  if (typeof reflect.getOwnMetadataKeys !== "function" || typeof reflect.getOwnMetadata !== "function" || typeof reflect.defineMetadata !== "function") return;
  for (const key of reflect.getOwnMetadataKeys(from)) {
    reflect.defineMetadata(key, reflect.getOwnMetadata(key, from), to);
  }
}
