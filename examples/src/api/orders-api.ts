import { perf } from "@choragen/perf";
import type { Order, OrderLine } from "../domain";
import { OutOfStockError, type OrderService } from "../orders/order-service";

export interface ApiResponse {
  readonly status: number;
  readonly body: string;
}

function badRequest(message: string): ApiResponse {
  return { status: 400, body: JSON.stringify({ error: message }) };
}

function toOrder(value: unknown): Order | string {
  if (typeof value !== "object" || value === null) return "expected a JSON object";
  const { customerId, country, couponCode, lines } = value as Record<string, unknown>;
  if (typeof customerId !== "string" || customerId === "") return `"customerId" must be a non-empty string`;
  if (typeof country !== "string" || !/^[A-Z]{2}$/.test(country)) return `"country" must be a two-letter country code`;
  if (couponCode !== undefined && typeof couponCode !== "string") return `"couponCode" must be a string`;
  if (!Array.isArray(lines) || lines.length === 0) return `"lines" must be a non-empty list`;
  const parsed: OrderLine[] = [];
  for (const [i, line] of lines.entries()) {
    const { sku, quantity } = (line ?? {}) as Record<string, unknown>;
    if (typeof sku !== "string" || typeof quantity !== "number") return `lines[${i}] must be { "sku": string, "quantity": number }`;
    parsed.push({ sku, quantity });
  }
  return { customerId, country, lines: parsed, ...(couponCode === undefined ? {} : { couponCode }) };
}

/**
 * The HTTP handlers of the order service, transport-free (bodies in, status and body out). Their
 * latency budget is not written here: the config's `examples/**\/api/**` override sets one for every
 * annotation without options in this folder (a p95 contract).
 */
export class OrdersApi {
  constructor(private readonly orders: OrderService) {}

  /** POST /orders */
  @perf.latency()
  async postOrder(body: string): Promise<ApiResponse> {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return badRequest("the body is not JSON");
    }
    const order = toOrder(json);
    if (typeof order === "string") return badRequest(order);
    try {
      const receipt = await this.orders.placeOrder(order);
      return { status: 201, body: JSON.stringify({ orderId: receipt.orderId, totalCents: receipt.quote.totalCents, payment: receipt.paymentReference }) };
    } catch (error) {
      if (error instanceof OutOfStockError) return { status: 409, body: JSON.stringify({ error: error.message }) };
      if (error instanceof RangeError) return badRequest(error.message);
      throw error;
    }
  }

  /** POST /quotes */
  @perf.latency()
  postQuote(body: string): ApiResponse {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return badRequest("the body is not JSON");
    }
    const order = toOrder(json);
    if (typeof order === "string") return badRequest(order);
    try {
      return { status: 200, body: JSON.stringify(this.orders.quote(order)) };
    } catch (error) {
      if (error instanceof RangeError) return badRequest(error.message);
      throw error;
    }
  }
}
