import { readFile } from "node:fs/promises";
import { perf } from "@choragen/perf";
import type { Catalog } from "./catalog";
import { parseCatalog } from "./parse-catalog";

export interface ImportSummary {
  readonly file: string;
  readonly products: number;
  readonly added: number;
  readonly updated: number;
}

/** Imports supplier feeds (JSON files) into the catalog. */
export class CatalogImporter {
  constructor(private readonly catalog: Catalog) {}

  // Written without options: the budgets come from .choragen/performance.yaml, which sets
  // `CatalogImporter.importFile` (deliberately too tight, so the demo has a breach to show).
  @perf.latency()
  @perf.memory()
  async importFile(file: string): Promise<ImportSummary> {
    const text = await readFile(file, "utf8");
    const products = parseCatalog(text);
    const added = this.catalog.upsert(products);
    return { file, products: products.length, added, updated: products.length - added };
  }
}
