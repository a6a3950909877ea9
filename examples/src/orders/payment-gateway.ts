import { createHmac } from "node:crypto";

export interface PaymentGateway {
  /** Authorises a payment and returns the provider's reference. Idempotent per key. */
  authorise(customerId: string, amountCents: number, idempotencyKey: string): Promise<string>;
}

/**
 * Stands in for a payment provider: signs each authorisation like a provider's reference and remembers
 * the idempotency keys it has seen, without a network round trip.
 */
export class InMemoryPaymentGateway implements PaymentGateway {
  readonly #seen = new Map<string, string>();

  constructor(private readonly secret = "demo-secret") {}

  async authorise(customerId: string, amountCents: number, idempotencyKey: string): Promise<string> {
    if (!(amountCents > 0)) throw new RangeError(`amount must be > 0, got ${amountCents}`);
    const known = this.#seen.get(idempotencyKey);
    if (known !== undefined) return known;
    const reference = `pay_${createHmac("sha256", this.secret).update(`${customerId}:${amountCents}:${idempotencyKey}`).digest("hex").slice(0, 20)}`;
    this.#seen.set(idempotencyKey, reference);
    return reference;
  }
}
