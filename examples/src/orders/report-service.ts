import { perf } from "@choragen/perf";
import type { Catalog } from "../catalog/catalog";
import type { Category, Receipt } from "../domain";

export interface DailyReport {
  readonly orders: number;
  readonly revenueCents: number;
  readonly averageOrderCents: number;
  readonly revenueByCategory: Readonly<Partial<Record<Category, number>>>;
  /** Best sellers by units, most first. */
  readonly topProducts: readonly { readonly sku: string; readonly name: string; readonly units: number }[];
}

/** Turns receipts into the numbers the shop looks at every evening. */
export class ReportService {
  constructor(private readonly catalog: Catalog) {}

  // No options: the memory budget comes from the `ReportService.*` override in the config.
  @perf.memory()
  dailyReport(receipts: readonly Receipt[], top = 5): DailyReport {
    const revenueByCategory: Partial<Record<Category, number>> = {};
    const units = new Map<string, number>();
    let revenueCents = 0;
    for (const receipt of receipts) {
      revenueCents += receipt.quote.totalCents;
      for (const line of receipt.quote.lines) {
        const category = this.catalog.require(line.sku).category;
        revenueByCategory[category] = (revenueByCategory[category] ?? 0) + line.lineCents;
        units.set(line.sku, (units.get(line.sku) ?? 0) + line.quantity);
      }
    }
    const topProducts = [...units]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, top)
      .map(([sku, n]) => ({ sku, name: this.catalog.require(sku).name, units: n }));
    return {
      orders: receipts.length,
      revenueCents,
      averageOrderCents: receipts.length === 0 ? 0 : Math.round(revenueCents / receipts.length),
      revenueByCategory,
      topProducts,
    };
  }
}
