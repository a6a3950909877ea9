import { perf } from "@choragen/perf";
import type { Catalog } from "../catalog/catalog";
import type { Order, Quote, QuotedLine } from "../domain";

export interface PricingRules {
  /** VAT rate per delivery country, in percent; `default` for the others. */
  readonly vatPercent: Readonly<Record<string, number>> & { readonly default: number };
  /** Lines of at least this many units get `volumeDiscountPercent` off. */
  readonly volumeQuantity: number;
  readonly volumeDiscountPercent: number;
  readonly coupons: Readonly<Record<string, { readonly percentOff?: number; readonly freeShipping?: boolean }>>;
  readonly shipping: { readonly baseCents: number; readonly centsPerKg: number; readonly freeAboveCents: number };
}

export const DEFAULT_RULES: PricingRules = {
  vatPercent: { NL: 21, BE: 21, DE: 19, FR: 20, default: 21 },
  volumeQuantity: 10,
  volumeDiscountPercent: 5,
  coupons: { WELCOME10: { percentOff: 10 }, FREESHIP: { freeShipping: true } },
  shipping: { baseCents: 495, centsPerKg: 45, freeAboveCents: 15_000 },
};

/** Prices an order: volume discounts, coupons, shipping by weight, VAT by country. */
export class PricingService {
  constructor(
    private readonly catalog: Catalog,
    private readonly rules: PricingRules = DEFAULT_RULES,
  ) {}

  // No options: .choragen/performance.yaml gives `PricingService.quote` its budget (a p99 contract).
  @perf.latency()
  quote(order: Order): Quote {
    if (order.lines.length === 0) throw new RangeError("an order needs at least one line");
    const coupon = order.couponCode === undefined ? undefined : this.rules.coupons[order.couponCode];
    if (order.couponCode !== undefined && coupon === undefined) throw new RangeError(`unknown coupon ${order.couponCode}`);

    let subtotalCents = 0;
    let weightGrams = 0;
    const lines: QuotedLine[] = [];
    for (const { sku, quantity } of order.lines) {
      if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError(`${sku}: quantity must be a whole number >= 1`);
      const product = this.catalog.require(sku);
      const unitCents = quantity >= this.rules.volumeQuantity
        ? Math.round((product.priceCents * (100 - this.rules.volumeDiscountPercent)) / 100)
        : product.priceCents;
      const lineCents = unitCents * quantity;
      lines.push({ sku, quantity, unitCents, lineCents });
      subtotalCents += lineCents;
      weightGrams += product.weightGrams * quantity;
    }

    const discountCents = Math.round((subtotalCents * (coupon?.percentOff ?? 0)) / 100);
    const shippingCents = this.shippingCents(subtotalCents - discountCents, weightGrams, coupon?.freeShipping === true);
    const vat = this.rules.vatPercent[order.country] ?? this.rules.vatPercent.default;
    // Prices include VAT: the tax is the part of the total that is VAT, not an amount added on top.
    const totalCents = subtotalCents - discountCents + shippingCents;
    const taxCents = Math.round(totalCents - totalCents / (1 + vat / 100));
    return { lines, subtotalCents, discountCents, shippingCents, taxCents, totalCents };
  }

  private shippingCents(goodsCents: number, weightGrams: number, free: boolean): number {
    if (free || goodsCents >= this.rules.shipping.freeAboveCents) return 0;
    return this.rules.shipping.baseCents + Math.ceil(weightGrams / 1000) * this.rules.shipping.centsPerKg;
  }
}
