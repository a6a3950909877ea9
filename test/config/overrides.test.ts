import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { chooseBudget, contractBudget, globSpecificity, parseConfig } from "../../config";

const DEFAULT = { max: 200, unit: "ms" } as const;

function pick(overrides: Record<string, number>, file: string, name: string): string {
  const table = Object.fromEntries(Object.entries(overrides).map(([glob, max]) => [glob, { max, unit: "ms" as const }]));
  return chooseBudget(DEFAULT, table, file, name).source;
}

test("no matching override: the default, with source \"default\"", () => {
  assert.deepEqual(chooseBudget(DEFAULT, { "api/*": { max: 1, unit: "ms" } }, "src/x.ts", "X.y"), { budget: DEFAULT, source: "default" });
  assert.equal(pick({}, "a.ts", "A.b"), "default");
});

test("globs match file paths relative to the root and qualified names", () => {
  assert.equal(pick({ "api/*": 1 }, "api/orders.ts", "Orders.place"), "api/*");
  assert.equal(pick({ "api/*": 1 }, "src/api/orders.ts", "Orders.place"), "default", "globs are anchored at the root");
  assert.equal(pick({ "api/*": 1 }, "api/v2/orders.ts", "Orders.place"), "default", "* does not cross /");
  assert.equal(pick({ "OrderService.*": 1 }, "src/orders.ts", "OrderService.placeOrder"), "OrderService.*");
  assert.equal(pick({ "OrderService.*": 1 }, "src/orders.ts", "OrderService.#secret"), "OrderService.*");
  assert.equal(pick({ "OrderService.*": 1 }, "src/orders.ts", "OrderService.get total"), "OrderService.*");
  assert.equal(pick({ "src/**": 1 }, "src/.internal/x.ts", "X.y"), "src/**", "** crosses dot folders");
  assert.equal(pick({ "src/**": 1 }, "src\\win\\x.ts", "X.y"), "src/**", "Windows separators in the file are normalised");
  assert.equal(pick({ "src/**": 1 }, "./src/x.ts", "X.y"), "src/**");
});

test("more literal characters beat fewer wildcards: a deep path glob beats a broad one", () => {
  assert.equal(pick({ "src/**": 1, "src/api/orders/**/*.ts": 2 }, "src/api/orders/v1/a.ts", "A.b"), "src/api/orders/**/*.ts");
  assert.equal(pick({ "src/api/orders/**/*.ts": 2, "src/**": 1 }, "src/api/orders/v1/a.ts", "A.b"), "src/api/orders/**/*.ts");
  assert.equal(pick({ "*.placeOrder": 1, "OrderService.*": 2 }, "x.ts", "OrderService.placeOrder"), "OrderService.*");
});

test("at equal literal length, fewer wildcards win", () => {
  assert.equal(pick({ "api/**": 1, "api/*": 2 }, "api/a", "X.y"), "api/*");
  assert.equal(pick({ "a?c/*": 1, "a?c/**": 2 }, "abc/d", "X.y"), "a?c/*");
});

test("an exact name beats an exact file, and any exact pattern beats every glob", () => {
  const overrides = { "src/services/orders/order-service.ts": 1, "OrderService.placeOrder": 2, "src/services/orders/order-service.?s": 3 };
  assert.equal(pick(overrides, "src/services/orders/order-service.ts", "OrderService.placeOrder"), "OrderService.placeOrder");
  assert.equal(pick(overrides, "src/services/orders/order-service.ts", "OrderService.other"), "src/services/orders/order-service.ts");
  assert.equal(pick({ "very/long/literal/prefix/**": 1, "Short.x": 2 }, "very/long/literal/prefix/a.ts", "Short.x"), "Short.x");
});

test("at equal specificity a name match beats a file match, then the first written wins", () => {
  assert.equal(pick({ "src/*": 1, "Svc.*": 2 }, "src/a.ts", "Svc.b"), "Svc.*");
  assert.equal(pick({ "Svc.*": 2, "src/*": 1 }, "src/a.ts", "Svc.b"), "Svc.*");
  assert.equal(pick({ "a/*": 1, "*/b": 2 }, "a/b", "X.y"), "a/*");
  assert.equal(pick({ "*/b": 2, "a/*": 1 }, "a/b", "X.y"), "*/b");
});

test("globSpecificity counts literals and wildcards as documented", () => {
  assert.deepEqual(globSpecificity("OrderService.placeOrder"), { exact: true, literals: 23, wildcards: 0 });
  assert.deepEqual(globSpecificity("src/**"), { exact: false, literals: 4, wildcards: 2 });
  assert.deepEqual(globSpecificity("src/*.{ts,tsx}"), { exact: false, literals: 5, wildcards: 2 });
  assert.deepEqual(globSpecificity("a[bc]d"), { exact: false, literals: 2, wildcards: 1 });
  assert.deepEqual(globSpecificity("!(x|y)/z"), { exact: false, literals: 2, wildcards: 1 });
  assert.deepEqual(globSpecificity("a\\*b"), { exact: true, literals: 3, wildcards: 0 });
});

test("contractBudget reads the latency and memory tables of a parsed config", () => {
  const cfg = parseConfig(
    [
      "contracts:",
      "  latency:",
      "    overrides:",
      '      "api/**": { max: 100, unit: ms, percentile: 95 }',
      "  memory:",
      "    default: { max: 5, unit: MB }",
      "    overrides:",
      '      "ReportService.*": { max: 10, unit: KB }',
    ].join("\n"),
    "x.yaml",
  );
  assert.deepEqual(contractBudget(cfg, "latency", "api/v1/orders.ts", "Orders.place"), { budget: { max: 100, unit: "ms", percentile: 95 }, source: "api/**" });
  assert.deepEqual(contractBudget(cfg, "latency", "lib/x.ts", "X.y"), { budget: { max: 200, unit: "ms" }, source: "default" });
  assert.deepEqual(contractBudget(cfg, "memory", "lib/r.ts", "ReportService.build"), { budget: { max: 10, unit: "KB" }, source: "ReportService.*" });
  assert.deepEqual(contractBudget(cfg, "memory", "api/v1/orders.ts", "Orders.place"), { budget: { max: 5, unit: "MB" }, source: "default" });
});

const segment = fc.stringMatching(/^[a-z]{1,4}$/);
const globPart = fc.oneof(segment, fc.constant("*"), fc.constant("**"), fc.constant("?"));
const glob = fc.array(globPart, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));
const filePath = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join("/"));

test("property: the chosen override matches the target, and adding a non-matching override changes nothing", () => {
  fc.assert(
    fc.property(fc.uniqueArray(glob, { maxLength: 6 }), glob, filePath, (globs, extra, file) => {
      const table = Object.fromEntries(globs.map((g, i) => [g, { max: i + 1, unit: "ms" as const }]));
      const chosen = chooseBudget(DEFAULT, table, file, "");
      if (chosen.source !== "default") {
        const matches = globs.filter((g) => pick({ [g]: 1 }, file, "") === g);
        assert.ok(matches.includes(chosen.source));
      }
      if (extra in table || pick({ [extra]: 1 }, file, "") !== "default") return;
      const withExtra = chooseBudget(DEFAULT, { ...table, [extra]: { max: 999, unit: "ms" as const } }, file, "");
      assert.equal(withExtra.source, chosen.source);
    }),
  );
});

test("property: between globs of different specificity, the order they are written in does not matter", () => {
  fc.assert(
    fc.property(fc.uniqueArray(glob, { minLength: 2, maxLength: 6 }), filePath, (globs, file) => {
      const forward = pick(Object.fromEntries(globs.map((g) => [g, 1])), file, "");
      const backward = pick(Object.fromEntries([...globs].reverse().map((g) => [g, 1])), file, "");
      if (forward === backward) return;
      // Only a tie on every criterion may let the written order decide.
      assert.deepEqual(globSpecificity(forward), globSpecificity(backward));
    }),
  );
});
