import { bench, do_not_optimize } from "@choragen/perf/bench";
import type { Order } from "../src/domain";
import { createShop, sampleProducts } from "../src/shop";

const products = sampleProducts(2_000);
const { pricing } = createShop(products);

function order(lines: number, couponCode?: string): Order {
  return {
    customerId: "cust-bench",
    country: "DE",
    ...(couponCode === undefined ? {} : { couponCode }),
    lines: products.slice(0, lines).map((p, i) => ({ sku: p.sku, quantity: 1 + (i % 12) })),
  };
}

const small = order(10);
const large = order(100);
const withCoupon = order(100, "WELCOME10");

// Budgets of these two are in .choragen/performance.yaml (`benchmarks.budgets`).
bench("pricing: quote 10 items", () => do_not_optimize(pricing.quote(small)));
bench("pricing: quote 100 items", () => do_not_optimize(pricing.quote(large)));

// A budget written next to the bench; the config could still override it metric by metric.
bench("pricing: quote 100 items with a coupon", () => do_not_optimize(pricing.quote(withCoupon)))
  .budget({ p50: { max: 500, unit: "us" } });
