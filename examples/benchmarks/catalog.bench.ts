import { bench, do_not_optimize } from "@choragen/perf/bench";
import { parseCatalog } from "../src/catalog/parse-catalog";
import { supplierJson } from "../src/shop";

// The JSON import path: a supplier feed as it arrives, parsed and validated.
const feed100 = supplierJson(100);
const feed2000 = supplierJson(2_000);

bench("catalog: parse 100 products", () => do_not_optimize(parseCatalog(feed100)));
bench("catalog: parse 2,000 products", () => do_not_optimize(parseCatalog(feed2000)));
