import { perf } from "@choragen/perf";
import { CATEGORIES, type Category, type Product } from "../domain";

/** One product as suppliers send it. */
export interface SupplierProduct {
  readonly sku: string;
  readonly name: string;
  readonly category: string;
  /** Decimal string in the feed's currency, e.g. "129.90". */
  readonly price: string;
  readonly weight_g: number;
  readonly stock: number;
}

export interface SupplierFeed {
  readonly supplier: string;
  readonly currency: string;
  readonly products: readonly SupplierProduct[];
}

export class CatalogFormatError extends Error {
  constructor(readonly where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = "CatalogFormatError";
  }
}

const PRICE = /^\d{1,7}(?:\.\d{1,2})?$/;

function field(record: Record<string, unknown>, key: string, type: "string" | "number", where: string): string | number {
  const value = record[key];
  if (typeof value !== type) throw new CatalogFormatError(where, `"${key}" must be a ${type}, got ${JSON.stringify(value) ?? "nothing"}`);
  return value as string | number;
}

function toProduct(raw: unknown, where: string): Product {
  if (typeof raw !== "object" || raw === null) throw new CatalogFormatError(where, "expected an object");
  const record = raw as Record<string, unknown>;
  const sku = field(record, "sku", "string", where) as string;
  const category = field(record, "category", "string", where) as string;
  if (!CATEGORIES.includes(category as Category)) {
    throw new CatalogFormatError(where, `unknown category "${category}" (expected ${CATEGORIES.join(", ")})`);
  }
  const price = field(record, "price", "string", where) as string;
  if (!PRICE.test(price)) throw new CatalogFormatError(where, `"price" must look like "129.90", got "${price}"`);
  const [euros = "0", cents = ""] = price.split(".");
  const stock = field(record, "stock", "number", where) as number;
  if (!Number.isInteger(stock) || stock < 0) throw new CatalogFormatError(where, `"stock" must be a whole number >= 0, got ${stock}`);
  return {
    sku,
    name: field(record, "name", "string", where) as string,
    category: category as Category,
    priceCents: Number(euros) * 100 + Number(cents.padEnd(2, "0")),
    weightGrams: field(record, "weight_g", "number", where) as number,
    stock,
  };
}

/**
 * Parses and validates a supplier's JSON feed. A function literal wrapped in place: the transformer
 * inlines the probe into its body, so there is no wrapper call at run time.
 */
export const parseCatalog = perf.latency({ max: 250, unit: "ms" }, function parseCatalog(text: string): Product[] {
  let feed: unknown;
  try {
    feed = JSON.parse(text);
  } catch (error) {
    throw new CatalogFormatError("feed", `not JSON: ${(error as Error).message}`);
  }
  if (typeof feed !== "object" || feed === null) throw new CatalogFormatError("feed", "expected an object");
  const { currency, products } = feed as Record<string, unknown>;
  if (currency !== "EUR") throw new CatalogFormatError("feed", `"currency" must be "EUR", got ${JSON.stringify(currency)}`);
  if (!Array.isArray(products)) throw new CatalogFormatError("feed", `"products" must be a list`);
  const seen = new Set<string>();
  return products.map((raw: unknown, i: number) => {
    const product = toProduct(raw, `products[${i}]`);
    if (seen.has(product.sku)) throw new CatalogFormatError(`products[${i}]`, `duplicate SKU ${product.sku}`);
    seen.add(product.sku);
    return product;
  });
});
