import { perf } from "@choragen/perf";
import { LruCache } from "../cache/lru-cache";
import type { Catalog } from "../catalog/catalog";
import type { Order, Quote, Receipt } from "../domain";
import type { PricingService } from "../pricing/pricing-service";
import type { PaymentGateway } from "./payment-gateway";

export class OutOfStockError extends Error {
  constructor(readonly sku: string, readonly wanted: number, readonly available: number) {
    super(`${sku}: ${wanted} wanted, ${available} in stock`);
    this.name = "OutOfStockError";
  }
}

export interface OrderServiceOptions {
  readonly catalog: Catalog;
  readonly pricing: PricingService;
  readonly payments: PaymentGateway;
  /** How many distinct carts' quotes to keep (default 1,000). */
  readonly quoteCacheSize?: number;
}

/** Quotes and places orders: stock check, cached pricing, payment, stock reservation. */
export class OrderService {
  readonly #catalog: Catalog;
  readonly #pricing: PricingService;
  readonly #payments: PaymentGateway;
  readonly #quotes: LruCache<string, Quote>;
  readonly #reserved = new Map<string, number>();
  readonly #receipts: Receipt[] = [];
  #sequence = 0;

  constructor(options: OrderServiceOptions) {
    this.#catalog = options.catalog;
    this.#pricing = options.pricing;
    this.#payments = options.payments;
    this.#quotes = new LruCache(options.quoteCacheSize ?? 1_000);
  }

  /** The quote of an order; the same cart (in any line order) to the same country is priced once. */
  // Judged on the 95th percentile of all calls, not call by call: a cache miss (or a GC pause) may
  // take longer once in a while; a cache that stops working shows in the percentile.
  @perf.latency({ max: 5, unit: "ms", percentile: 95 })
  quote(order: Order): Quote {
    const key = cartKey(order);
    const cached = this.#quotes.get(key);
    if (cached !== undefined) return cached;
    const quote = this.#pricing.quote(order);
    this.#quotes.set(key, quote);
    return quote;
  }

  // Budgets sized for a real payment provider behind `payments` (a network round trip).
  @perf.latency({ max: 250, unit: "ms" })
  async placeOrder(order: Order): Promise<Receipt> {
    for (const { sku, quantity } of order.lines) {
      const available = this.available(sku);
      if (quantity > available) throw new OutOfStockError(sku, quantity, available);
    }
    const quote = this.quote(order);
    const orderId = `ord_${String(++this.#sequence).padStart(6, "0")}`;

    // The provider's share of the latency, judged on its own: a slow provider is not a slow service.
    const payment = perf.startTimer("payment authorisation");
    const paymentReference = await this.#payments.authorise(order.customerId, quote.totalCents, orderId);
    perf.assertLatency(payment, { max: 200, unit: "ms" });

    for (const { sku, quantity } of order.lines) this.#reserved.set(sku, (this.#reserved.get(sku) ?? 0) + quantity);
    const receipt: Receipt = { orderId, customerId: order.customerId, quote, paymentReference, placedAt: Date.now() };
    this.#receipts.push(receipt);
    return receipt;
  }

  available(sku: string): number {
    return this.#catalog.require(sku).stock - (this.#reserved.get(sku) ?? 0);
  }

  receipts(): readonly Receipt[] {
    return this.#receipts;
  }

  get quoteCache(): { readonly hits: number; readonly misses: number; readonly hitRate: number } {
    return this.#quotes.stats;
  }
}

function cartKey(order: Order): string {
  const lines = order.lines.map((l) => `${l.sku}×${l.quantity}`).sort();
  return `${order.country}|${order.couponCode ?? ""}|${lines.join(",")}`;
}
