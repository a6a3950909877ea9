/** The order service's vocabulary. Money is kept in integer cents so totals never drift. */

export type Category = "furniture" | "lighting" | "textiles" | "kitchen" | "garden";

export const CATEGORIES: readonly Category[] = ["furniture", "lighting", "textiles", "kitchen", "garden"];

export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly category: Category;
  readonly priceCents: number;
  readonly weightGrams: number;
  readonly stock: number;
}

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
}

export interface Order {
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly couponCode?: string;
  /** ISO 3166 country of the delivery address: it sets the VAT rate and the shipping zone. */
  readonly country: string;
}

export interface QuotedLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitCents: number;
  readonly lineCents: number;
}

export interface Quote {
  readonly lines: readonly QuotedLine[];
  readonly subtotalCents: number;
  readonly discountCents: number;
  readonly shippingCents: number;
  readonly taxCents: number;
  readonly totalCents: number;
}

export interface Receipt {
  readonly orderId: string;
  readonly customerId: string;
  readonly quote: Quote;
  readonly paymentReference: string;
  readonly placedAt: number;
}

export function formatCents(cents: number): string {
  return `€${(cents / 100).toFixed(2)}`;
}
