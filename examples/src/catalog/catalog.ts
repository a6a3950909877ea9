import type { Category, Product } from "../domain";

export class UnknownSkuError extends RangeError {
  constructor(readonly sku: string) {
    super(`unknown SKU ${sku}`);
    this.name = "UnknownSkuError";
  }
}

/** The products the shop sells, by SKU. */
export class Catalog {
  readonly #bySku = new Map<string, Product>();

  constructor(products: Iterable<Product> = []) {
    this.upsert(products);
  }

  /** Adds new products and replaces known ones; returns how many were new. */
  upsert(products: Iterable<Product>): number {
    let added = 0;
    for (const product of products) {
      if (!this.#bySku.has(product.sku)) added++;
      this.#bySku.set(product.sku, product);
    }
    return added;
  }

  get(sku: string): Product | undefined {
    return this.#bySku.get(sku);
  }

  require(sku: string): Product {
    const product = this.#bySku.get(sku);
    if (product === undefined) throw new UnknownSkuError(sku);
    return product;
  }

  inCategory(category: Category): Product[] {
    return [...this.#bySku.values()].filter((p) => p.category === category);
  }

  get size(): number {
    return this.#bySku.size;
  }

  skus(): string[] {
    return [...this.#bySku.keys()];
  }
}
