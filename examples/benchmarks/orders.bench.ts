import { bench, do_not_optimize } from "@choragen/perf/bench";
import type { Order, Receipt } from "../src/domain";
import { createShop, sampleProducts } from "../src/shop";

// Stock that never runs out: the benchmark measures placing orders, not refusing them.
const products = sampleProducts(2_000).map((p) => ({ ...p, stock: Number.MAX_SAFE_INTEGER }));

function cart(n: number): Order {
  return {
    customerId: `cust-${n % 50}`,
    country: n % 2 === 0 ? "NL" : "FR",
    lines: [0, 1, 2].map((l) => ({ sku: products[(n * 7 + l * 13) % products.length]?.sku ?? "", quantity: 1 + l })),
  };
}

const carts = Array.from({ length: 50 }, (_, n) => cart(n));

bench("orders: place an order (cached quote)", function* () {
  const { orders } = createShop(products);
  let i = 0;
  yield async () => do_not_optimize(await orders.placeOrder(carts[i++ % carts.length] as Order));
});

bench("orders: daily report over 1,000 orders", function* () {
  const { reports, orders } = createShop(products);
  // Receipts as placeOrder makes them, built synchronously once.
  const receipts: Receipt[] = Array.from({ length: 1_000 }, (_, n) => ({
    orderId: `ord_${n}`,
    customerId: `cust-${n % 50}`,
    quote: orders.quote(carts[n % carts.length] as Order),
    paymentReference: `pay_${n}`,
    placedAt: 0,
  }));
  yield () => do_not_optimize(reports.dailyReport(receipts));
});

bench("api: POST /quotes", function* () {
  const { api } = createShop(products);
  const bodies = carts.map((c) => JSON.stringify(c));
  let i = 0;
  yield () => do_not_optimize(api.postQuote(bodies[i++ % bodies.length] as string));
});
