/**
 * A day at the shop, compressed: import a supplier's JSON price list, take orders through the API
 * (repeat carts hit the quote cache), close the day with a report. Run it with contracts armed:
 *
 *   npx tspc -p examples/tsconfig.json
 *   npx choragen perf -- node examples/dist/main.js
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { perf } from "@choragen/perf";
import type { Order } from "./domain";
import { createShop, formatCents, supplierJson } from "./shop";

const SUPPLIER_PRODUCTS = 2_000;
const CARTS = 40;
const ORDERS = 400;
const COUNTRIES = ["NL", "BE", "DE", "FR"];

/** `CARTS` distinct carts, reused round-robin: the same cart is quoted once, then served from the cache. */
function carts(skus: readonly string[]): Order[] {
  return Array.from({ length: CARTS }, (_, c) => ({
    customerId: `cust-${1000 + c}`,
    country: COUNTRIES[c % COUNTRIES.length] ?? "NL",
    ...(c % 5 === 0 ? { couponCode: "WELCOME10" } : {}),
    lines: Array.from({ length: 1 + (c % 4) }, (_, l) => ({
      sku: skus[(c * 37 + l * 101) % skus.length] ?? "",
      quantity: 1 + ((c + l) % 3),
    })),
  }));
}

async function main(): Promise<void> {
  const shop = createShop();

  // 1. The JSON import path: a supplier feed written to a file, then imported like an upload.
  const dir = mkdtempSync(join(tmpdir(), "choragen-example-"));
  try {
    const file = join(dir, "nordlys-trading.json");
    writeFileSync(file, supplierJson(SUPPLIER_PRODUCTS));
    const imported = await shop.importer.importFile(file);
    console.log(`imported ${imported.products} products from nordlys-trading.json (${imported.added} new, ${imported.updated} updated)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 2. Orders through the HTTP handlers: quotes first, then the order itself.
  const baskets = carts(shop.catalog.skus());
  const statuses = new Map<number, number>();
  for (let i = 0; i < ORDERS; i++) {
    const body = JSON.stringify(baskets[i % baskets.length]);
    shop.api.postQuote(body);
    const response = await shop.api.postOrder(body);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  }
  const cache = shop.orders.quoteCache;
  const placed = statuses.get(201) ?? 0;
  const outOfStock = statuses.get(409) ?? 0;
  console.log(`placed ${placed} orders (${outOfStock} refused: out of stock); quote cache: ${cache.hits} hits, ${cache.misses} misses`);

  // 3. Closing the day.
  const report = shop.reports.dailyReport(shop.orders.receipts());
  const best = report.topProducts[0];
  console.log(`revenue ${formatCents(report.revenueCents)}, average order ${formatCents(report.averageOrderCents)}` +
    (best === undefined ? "" : `, best seller ${best.name} (${best.units} units)`));

  const seen = perf.report();
  console.log(`contracts exercised: ${seen.contracts.length}, violations recorded: ${seen.violations.length}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
