import { OrdersApi } from "./api/orders-api";
import { Catalog } from "./catalog/catalog";
import { CatalogImporter } from "./catalog/importer";
import type { Product } from "./domain";
import { OrderService } from "./orders/order-service";
import { InMemoryPaymentGateway } from "./orders/payment-gateway";
import { ReportService } from "./orders/report-service";
import { PricingService, type PricingRules } from "./pricing/pricing-service";

export interface Shop {
  readonly catalog: Catalog;
  readonly importer: CatalogImporter;
  readonly pricing: PricingService;
  readonly orders: OrderService;
  readonly reports: ReportService;
  readonly api: OrdersApi;
}

/** Wires the services together, as the application, the benchmarks and the tests all do. */
export function createShop(products: Iterable<Product> = [], options: { rules?: PricingRules; quoteCacheSize?: number } = {}): Shop {
  const catalog = new Catalog(products);
  const pricing = new PricingService(catalog, options.rules);
  const orders = new OrderService({
    catalog,
    pricing,
    payments: new InMemoryPaymentGateway(),
    ...(options.quoteCacheSize === undefined ? {} : { quoteCacheSize: options.quoteCacheSize }),
  });
  return { catalog, importer: new CatalogImporter(catalog), pricing, orders, reports: new ReportService(catalog), api: new OrdersApi(orders) };
}

export { sampleProducts, supplierJson } from "./catalog/sample-data";
export { formatCents } from "./domain";
