import { CATEGORIES, type Category, type Product } from "../domain";
import type { SupplierFeed } from "./parse-catalog";

const MATERIALS = ["oak", "walnut", "linen", "wool", "brass", "ceramic", "rattan", "steel", "cotton", "birch"];
const ITEMS: Readonly<Record<Category, readonly string[]>> = {
  furniture: ["side table", "bookshelf", "stool", "sideboard", "desk"],
  lighting: ["floor lamp", "pendant", "wall light", "desk lamp", "lantern"],
  textiles: ["throw", "cushion", "rug", "curtain", "table runner"],
  kitchen: ["bowl", "serving board", "mug", "carafe", "knife block"],
  garden: ["planter", "bench", "watering can", "bird house", "parasol"],
};

/** A small deterministic PRNG (mulberry32), so every run, bench and test sees the same catalog. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], r: number): T {
  return items[Math.floor(r * items.length) % items.length] as T;
}

/** `count` products, the same ones for the same seed. */
export function sampleProducts(count: number, seed = 42): Product[] {
  const next = random(seed);
  const products: Product[] = [];
  for (let i = 0; i < count; i++) {
    const category = pick(CATEGORIES, next());
    const material = pick(MATERIALS, next());
    const item = pick(ITEMS[category], next());
    products.push({
      sku: `${category.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(5, "0")}`,
      name: `${material[0]?.toUpperCase()}${material.slice(1)} ${item}`,
      category,
      priceCents: 500 + Math.floor(next() * 60_000),
      weightGrams: 200 + Math.floor(next() * 25_000),
      stock: Math.floor(next() * 200),
    });
  }
  return products;
}

/** The products as a supplier sends them: prices as decimal strings, snake_case fields. */
export function supplierFeed(products: readonly Product[], supplier = "Nordlys Trading"): SupplierFeed {
  return {
    supplier,
    currency: "EUR",
    products: products.map((p) => ({
      sku: p.sku,
      name: p.name,
      category: p.category,
      price: (p.priceCents / 100).toFixed(2),
      weight_g: p.weightGrams,
      stock: p.stock,
    })),
  };
}

/** A supplier feed of `count` products as JSON text, as it arrives in an import. */
export function supplierJson(count: number, seed = 42): string {
  return JSON.stringify(supplierFeed(sampleProducts(count, seed)));
}
