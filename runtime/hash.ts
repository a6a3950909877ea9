/**
 * FNV-1a, 32 bits, as 8 hex digits: the one hash behind contract ids, the transformer's (transformer/match/naming.ts)
 * and the runtime fallbacks' (budget.ts). Stable across processes, builds and machines.
 */
export function fnv1aHex(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
