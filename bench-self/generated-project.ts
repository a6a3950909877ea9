/**
 * A synthetic but realistic TypeScript application for the compile benchmarks: domain folders of classes with
 * fields, constructors, sync/async/static/#private methods and accessors, interfaces and unions, imports between
 * files (a dependency graph, never a cycle), some members annotated with @perf.latency / @perf.memory, wrapped
 * functions and manual timers.
 *
 * The same generator writes two variants from one seed: "annotated" (the contracts written in) and "plain" (the
 * very same program written without them: no decorators, wrappers, timer statements or perf import). Strip mode
 * promises that compiling the first gives byte for byte what compiling the second gives.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { mulberry32 } from "../cli/engine/statistics";

export type ProjectVariant = "annotated" | "plain";

export interface GeneratedProject {
  /** Source files written, relative to the project folder (`src/...`). */
  readonly files: readonly string[];
  /** Annotations written in the annotated variant (decorators + wrapped functions); timers are not counted. */
  readonly annotations: number;
  readonly timers: number;
  /** Files that carry at least one contract in the annotated variant. */
  readonly annotatedFiles: number;
}

const DOMAINS = [
  ["orders", "Order"],
  ["billing", "Billing"],
  ["customers", "Customer"],
  ["catalog", "Catalog"],
  ["inventory", "Inventory"],
  ["shipping", "Shipment"],
  ["search", "Search"],
  ["reports", "Report"],
  ["auth", "Auth"],
  ["notifications", "Notification"],
] as const;
const ROLES = ["Service", "Repository", "Policy", "Builder", "Gateway"] as const;

/** Seeded, so the same project is generated on every machine. */
const random = mulberry32;

interface Module {
  readonly index: number;
  readonly domain: string;
  readonly role: string;
  readonly className: string;
  readonly file: string;
}

function moduleAt(index: number): Module {
  const [domain, noun] = DOMAINS[index % DOMAINS.length]!;
  const role = ROLES[Math.floor(index / DOMAINS.length) % ROLES.length]!;
  return { index, domain, role, className: `${noun}${role}${index}`, file: `src/${domain}/${domain}-${role.toLowerCase()}-${index}.ts` };
}

function importPath(from: Module, to: Module): string {
  const rel = path.posix.relative(path.posix.dirname(from.file), to.file).replace(/\.ts$/, ".js");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

const LATENCY = ['{ max: 50, unit: "ms" }', '{ max: 2, unit: "ms", percentile: 95 }', '{ max: 500, unit: "us" }', '{ max: 1, unit: "s" }', ""];
const MEMORY = ['{ max: 10, unit: "MB" }', '{ max: 512, unit: "KB" }', ""];

/** Writes one file's text; `annotated` decides whether the contracts are in it. */
function moduleText(m: Module, deps: readonly Module[], rnd: () => number, annotated: boolean, tally: { annotations: number; timers: number }, share: number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const chance = (p: number): boolean => rnd() < p;
  // Decide every contract up front so both variants consume the random sequence identically.
  const hasContracts = chance(share);
  const plan = {
    find: hasContracts && chance(0.5) ? `@perf.latency(${pick(LATENCY)})` : undefined,
    load: hasContracts && chance(0.5) ? `@perf.latency(${pick(LATENCY)})` : undefined,
    report: hasContracts && chance(0.4) ? `@perf.memory(${pick(MEMORY)})` : undefined,
    total: hasContracts && chance(0.2) ? `@perf.latency(${pick(LATENCY)})` : undefined,
    score: hasContracts && chance(0.2) ? `@perf.latency(${pick(LATENCY)})` : undefined,
    create: hasContracts && chance(0.15) ? `@perf.latency(${pick(LATENCY)})` : undefined,
    wrapper: hasContracts && chance(0.3) ? pick(LATENCY.slice(0, 4)) : undefined,
    timer: hasContracts && chance(0.25),
  };
  const threshold = 10 + Math.floor(rnd() * 90);
  const statuses = ["open", "pending", "done", "failed", "archived"].slice(0, 3 + Math.floor(rnd() * 3));
  const usesPerf = hasContracts && annotated;
  const c = m.className;
  const item = `${c}Item`;
  const lines: string[] = [];
  const decorate = (decorator: string | undefined, indent: string): void => {
    if (decorator === undefined) return;
    tally.annotations += annotated ? 1 : 0;
    if (annotated) lines.push(`${indent}${decorator}`);
  };

  if (usesPerf) lines.push(`import { perf } from "@choragen/perf";`);
  for (const d of deps) lines.push(`import { ${d.className}, type ${d.className}Item } from "${importPath(m, d)}";`);
  lines.push("");
  lines.push(`export type ${c}Status = ${statuses.map((s) => JSON.stringify(s)).join(" | ")};`);
  lines.push("");
  lines.push(`export interface ${item} {`);
  lines.push(`  readonly id: string;`);
  lines.push(`  readonly status: ${c}Status;`);
  lines.push(`  readonly amount: number;`);
  lines.push(`  readonly tags: readonly string[];`);
  lines.push(`  readonly updatedAt?: Date;`);
  lines.push(`}`);
  lines.push("");
  lines.push(`/** ${m.role} for ${m.domain}: keeps ${m.domain} items in memory and answers queries over them. */`);
  lines.push(`export class ${c} {`);
  lines.push(`  private readonly items = new Map<string, ${item}>();`);
  lines.push(`  #hits = 0;`);
  deps.forEach((d, i) => lines.push(`  private readonly dep${i} = new ${d.className}(${i + 1});`));
  lines.push("");
  lines.push(`  constructor(private readonly weight = 1) {}`);
  lines.push("");
  lines.push(`  /** Looks an item up by id; counts the hits. */`);
  decorate(plan.find, "  ");
  lines.push(`  find(id: string): ${item} | undefined {`);
  lines.push(`    const found = this.items.get(id);`);
  lines.push(`    if (found !== undefined) {`);
  lines.push(`      this.#hits++;`);
  lines.push(`    }`);
  lines.push(`    return found;`);
  lines.push(`  }`);
  lines.push("");
  decorate(plan.load, "  ");
  lines.push(`  async load(ids: readonly string[], fetch: (id: string) => Promise<${item} | undefined>): Promise<number> {`);
  lines.push(`    let loaded = 0;`);
  lines.push(`    for (const id of ids) {`);
  lines.push(`      const item = await fetch(id);`);
  lines.push(`      if (item === undefined) continue;`);
  lines.push(`      this.items.set(item.id, { ...item, updatedAt: new Date() });`);
  lines.push(`      loaded++;`);
  lines.push(`    }`);
  lines.push(`    return loaded;`);
  lines.push(`  }`);
  lines.push("");
  decorate(plan.report, "  ");
  lines.push(`  report(status?: ${c}Status): string[] {`);
  lines.push(`    const rows: string[] = [];`);
  lines.push(`    for (const item of this.items.values()) {`);
  lines.push(`      if (status !== undefined && item.status !== status) continue;`);
  lines.push(`      rows.push(\`\${item.id}\\t\${item.status}\\t\${this.#format(item.amount)}\\t\${item.tags.join(",")}\`);`);
  lines.push(`    }`);
  lines.push(`    return rows.sort();`);
  lines.push(`  }`);
  lines.push("");
  lines.push(`  #format(amount: number): string {`);
  lines.push(`    return (amount * this.weight).toFixed(2);`);
  lines.push(`  }`);
  lines.push("");
  decorate(plan.total, "  ");
  lines.push(`  get total(): number {`);
  const depTotals = deps.map((_, i) => ` + this.dep${i}.total`).join("");
  lines.push(`    return [...this.items.values()].reduce((sum, item) => sum + item.amount, 0)${depTotals};`);
  lines.push(`  }`);
  lines.push("");
  decorate(plan.score, "  ");
  lines.push(`  score(item: ${item}): number {`);
  lines.push(`    switch (item.status) {`);
  statuses.forEach((s, i) => {
    lines.push(`      case ${JSON.stringify(s)}:`);
    lines.push(`        return item.amount * ${i + 1} + (item.tags.length > ${threshold % 7} ? ${threshold} : 0);`);
  });
  lines.push(`    }`);
  lines.push(`  }`);
  lines.push("");
  deps.forEach((d, i) => {
    lines.push(`  merge${i}(other: readonly ${d.className}Item[]): number {`);
    lines.push(`    return other.filter((o) => o.amount > ${threshold}).map((o) => this.dep${i}.score(o)).reduce((a, b) => a + b, 0);`);
    lines.push(`  }`);
    lines.push("");
  });
  decorate(plan.create, "  ");
  lines.push(`  static create(items: Iterable<${item}>): ${c} {`);
  lines.push(`    const created = new ${c}();`);
  lines.push(`    for (const item of items) created.items.set(item.id, item);`);
  lines.push(`    return created;`);
  lines.push(`  }`);
  lines.push(`}`);
  lines.push("");

  const fn = `summarize${m.index}`;
  const body = [`(items: readonly ${item}[]): Record<string, number> => {`, `  const out: Record<string, number> = {};`, `  for (const item of items) out[item.status] = (out[item.status] ?? 0) + item.amount;`, `  return out;`, `}`];
  if (plan.wrapper !== undefined && annotated) {
    tally.annotations++;
    lines.push(`export const ${fn} = perf.latency(${plan.wrapper}, ${body[0]}`, ...body.slice(1, -1), `});`);
  } else {
    lines.push(`export const ${fn} = ${body[0]}`, ...body.slice(1, -1), `};`);
  }
  lines.push("");
  lines.push(`export function search${m.index}(items: readonly ${item}[], query: string): ${item}[] {`);
  if (plan.timer && annotated) {
    tally.timers++;
    lines.push(`  const t = perf.startTimer("search${m.index}");`);
  }
  lines.push(`  const needle = query.trim().toLowerCase();`);
  lines.push(`  const found = items.filter((item) => item.id.includes(needle) || item.tags.some((tag) => tag.toLowerCase() === needle));`);
  if (plan.timer && annotated) lines.push(`  perf.assertLatency(t, { max: ${threshold}, unit: "ms" });`);
  lines.push(`  return found;`);
  lines.push(`}`);
  lines.push("");
  return lines.join("\n");
}

/**
 * The chance that a file carries contracts (then each of its members does with its own chance): with 0.4, about
 * 42% of the 500 files mention @choragen/perf. `npm run bench:hosts -- --share 0.1` writes a project closer to a
 * real application (a contract on the few hot paths); `--share 1` one where every file has some.
 */
export const DEFAULT_SHARE = 0.4;

/**
 * Writes `count` source files under `<dir>/src` (plus package.json and `.choragen/performance.yaml` for the
 * annotated variant's defaults), deterministic for a given seed. Each file imports up to three earlier ones.
 */
export function writeGeneratedProject(dir: string, variant: ProjectVariant, count: number, seed = 20240607, share = DEFAULT_SHARE): GeneratedProject {
  const rnd = random(seed);
  const tally = { annotations: 0, timers: 0 };
  const files: string[] = [];
  let annotatedFiles = 0;
  for (let i = 0; i < count; i++) {
    const m = moduleAt(i);
    const depCount = i === 0 ? 0 : Math.min(i, Math.floor(rnd() * 4));
    const deps = new Map<number, Module>();
    for (let k = 0; k < depCount; k++) {
      const j = Math.floor(rnd() * i);
      deps.set(j, moduleAt(j));
    }
    const before = tally.annotations + tally.timers;
    const text = moduleText(m, [...deps.values()], rnd, variant === "annotated", tally, share);
    if (tally.annotations + tally.timers > before) annotatedFiles++;
    const file = path.join(dir, m.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    files.push(m.file);
  }
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `generated-${variant}`, private: true, type: "commonjs" }, null, 2) + "\n");
  fs.mkdirSync(path.join(dir, ".choragen"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, ".choragen", "performance.yaml"),
    [
      "contracts:",
      "  latency:",
      "    default: { max: 100, unit: ms }",
      "    overrides:",
      '      "src/search/**": { max: 20, unit: ms, percentile: 95 }',
      "  memory:",
      "    default: { max: 20, unit: MB }",
      "  onViolation: record",
      "",
    ].join("\n"),
  );
  return { files, ...tally, annotatedFiles };
}

/** The project's tsconfig: an application's usual options; the plugin entry only when a mode is given. */
export function tsconfigText(mode: "instrument" | "strip" | undefined, outDir: string): string {
  return (
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          module: "Node16",
          moduleResolution: "Node16",
          strict: true,
          skipLibCheck: true,
          sourceMap: true,
          outDir,
          rootDir: "src",
          types: [],
          lib: ["ES2022"],
          ...(mode !== undefined ? { plugins: [{ transform: "@choragen/perf/transformer", mode }] } : {}),
        },
        include: ["src"],
      },
      null,
      2,
    ) + "\n"
  );
}
