import type { SourceMap } from "magic-string" with { "resolution-mode": "import" };
import type * as ts from "typescript";
import type { Decision, FunctionSite, ProbeSpec } from "./decide";
import type { TypeScriptApi } from "./parser";
import { hasOwnFinally, ownReturns } from "../match/syntax";

/** The probe surface the emitted code imports, by name (a bundler can see what is used). */
export const PROBE_MODULE = "@choragen/perf/probe";

export interface Emitted {
  readonly code: string;
  readonly map: SourceMap;
}

// magic-string is ESM-only; Node 20.19+ loads it with require(), which keeps this package CommonJS.
const { default: MagicString } = require("magic-string") as typeof import("magic-string", { with: { "resolution-mode": "import" } });

interface Insertion {
  readonly at: number;
  readonly text: string;
  /** At one offset: closings before openings; inner closings first, outer openings first. */
  readonly opening: boolean;
  readonly depth: number;
}

/**
 * Applies a file's decisions as text edits. The source map is line-level (`hires: false`): every line stays where it
 * was, and high-resolution maps cost more than the rest of the core on the 500-file benchmark. Output stays TypeScript (the bundler's own TypeScript handling runs
 * after) and keeps every line where it was: probes are written on the lines of the braces they wrap, and the
 * module header on the line of the last import, so a stack trace without source maps still names the right line.
 */
export function emit(tsi: TypeScriptApi, decision: Decision, fileName: string): Emitted | undefined {
  const { sourceFile, removals, functions, contracts, assertions } = decision;
  if (removals.length === 0 && functions.length === 0 && assertions.length === 0 && decision.insertions.length === 0) return undefined;
  const s = new MagicString(sourceFile.text);
  // Removals first: magic-string drops what was attached to a removed range, and insertions made afterwards at
  // its edges must survive (a wrapper's `)` goes where a probe's closing brace is written).
  for (const r of [...removals].sort((a, b) => a.start - b.start)) {
    if (r.end > r.start) s.remove(r.start, r.end);
    if (r.replacement !== "") s.appendLeft(r.start, r.replacement);
  }
  const insertions: Insertion[] = [];
  const names = probeNames(decision.prefix);
  for (const site of functions) insertions.push(...instrumentFunction(tsi, sourceFile, site, names));
  for (const i of decision.insertions) insertions.push({ at: i.at, text: i.text, opening: i.opening, depth: depthOf(i.node) });
  for (const a of assertions) {
    insertions.push({ at: a.call.arguments[a.call.arguments.length - 1]!.getEnd(), text: `, ${JSON.stringify(decision.file)}, ${a.line}, ${a.column}`, opening: false, depth: depthOf(a.call) });
  }
  if (contracts.length > 0) insertions.push({ at: headerOffset(tsi, sourceFile), text: header(decision, names), opening: true, depth: -1 });
  insertions.sort((a, b) => a.at - b.at || Number(a.opening) - Number(b.opening) || (a.opening ? a.depth - b.depth : b.depth - a.depth));
  for (const i of insertions) s.appendLeft(i.at, i.text);
  return { code: s.toString(), map: s.generateMap({ source: fileName, file: fileName, includeContent: true, hires: false }) };
}

interface ProbeNames {
  readonly contract: string;
  readonly heap: string;
  readonly clock: string;
  readonly threw: string;
  readonly error: string;
  readonly settled: string;
  readonly result: string;
  start(kind: "latency" | "memory", index: number): string;
  measured(kind: "latency" | "memory", index: number): string;
}

function probeNames(prefix: string): ProbeNames {
  return {
    contract: `${prefix}contract`,
    heap: `${prefix}heap`,
    clock: `${prefix}clock`,
    threw: `${prefix}threw`,
    error: `${prefix}error`,
    settled: `${prefix}settled`,
    result: `${prefix}r`,
    start: (kind, i) => `${prefix}${kind === "latency" ? "t" : "m"}${i}`,
    measured: (kind, i) => `${prefix}${kind === "latency" ? "d" : "dm"}${i}`,
  };
}

/**
 * `import { clock, contract, heap } from "@choragen/perf/probe"; const c0 = contract({...});`: only what the file's
 * probes use. The clock is the runtime's (node:perf_hooks), not `globalThis.performance`, which a test runner's
 * fake timers replace with one that a probe would read as frozen.
 */
function header(decision: Decision, n: ProbeNames): string {
  const usesClock = decision.contracts.some((c) => c.facts.kind === "latency");
  const imports = [...(usesClock ? [`clock as ${n.clock}`] : []), `contract as ${n.contract}`, ...(decision.usesHeap ? [`heap as ${n.heap}`] : [])];
  const parts = [`import { ${imports.join(", ")} } from ${JSON.stringify(PROBE_MODULE)};`];
  for (const { name, facts } of decision.contracts) {
    const fields = Object.entries(facts).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
    parts.push(`const ${name} = ${n.contract}({ ${fields.join(", ")} });`);
  }
  return ` ${parts.join(" ")} `;
}

/** After the leading imports and directives (on the same line), else before the first statement. */
function headerOffset(tsi: TypeScriptApi, sourceFile: ts.SourceFile): number {
  let last: ts.Statement | undefined;
  for (const statement of sourceFile.statements) {
    if (tsi.isImportDeclaration(statement) || (tsi.isExpressionStatement(statement) && tsi.isStringLiteral(statement.expression))) last = statement;
    else break;
  }
  if (last) return last.getEnd();
  const first = sourceFile.statements[0];
  return first ? first.getStart(sourceFile) : sourceFile.text.length;
}

function depthOf(node: ts.Node): number {
  let depth = 0;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) depth++;
  return depth;
}

/**
 * Fused probes for one function: heap readings outside, the clock inside (a heap reading is not timed, and the
 * clock's reading does not count as growth); one `try`, one `finally`.
 */
function instrumentFunction(tsi: TypeScriptApi, sourceFile: ts.SourceFile, site: FunctionSite, n: ProbeNames): Insertion[] {
  const depth = depthOf(site.fn);
  const ordered = [...site.probes.filter((p) => p.kind === "memory"), ...site.probes.filter((p) => p.kind === "latency")];
  const indexed = ordered.map((p, i) => ({ probe: p, start: n.start(p.kind, i), measured: n.measured(p.kind, i) }));
  const routes = site.routesReturns;
  const declarations = [
    ...indexed.map((p) => `const ${p.start} = ${reading(p.probe, n)};`),
    `let ${n.threw} = false;`,
    ...(routes ? [`let ${n.settled} = false, ${n.result};`] : []),
  ].join(" ");
  const async = site.isAsync ? "true" : "false";
  const checks = [...indexed].reverse().map((p) => check(p.probe, p.start, p.measured, async, n)).join(" ");
  // Settled in reverse too: the clock's handler runs first, then the heap's.
  const settle = (value: string): string => [...indexed].reverse().reduce((inner, p) => `${p.probe.contract}.settle(${inner}, ${p.start})`, value);
  // The promise is handed over once the function has really returned it, not at its `return`: a promise whose
  // return a `finally` of the user's discarded keeps no handler of ours, so nobody handling it stays an
  // unhandled rejection, as in the plain code.
  const judged = routes ? `if (${n.settled} && !${n.threw}) { ${settle(n.result)}; } else { ${checks} }` : checks;
  const opening = `${declarations} try {`;
  const closing = `} catch (${n.error}) { ${n.threw} = true; throw ${n.error}; } finally { ${judged} }`;
  const result: Insertion[] = [];
  // `return x` becomes `return (settled = (r = (0, x)) instanceof Promise, r)`: whether a promise comes back is only
  // known at run time, and a native one is measured until it settles, `async` or not. (Not `return await x` in an
  // async body: that would move the user's own `finally` blocks a tick later.)
  // `(0, x)`: an anonymous function returned here must not be named after the temporary by the assignment.
  const returned = (expression: ts.Expression): void => {
    if (!routes) return;
    result.push({ at: expression.getStart(sourceFile), text: `(${n.settled} = (${n.result} = (0, `, opening: true, depth: depthOf(expression) });
    result.push({ at: expression.getEnd(), text: `)) instanceof Promise, ${n.result})`, opening: false, depth: depthOf(expression) });
  };
  const body = site.body;
  if (tsi.isBlock(body)) {
    const statements = body.statements;
    let i = 0;
    while (i < statements.length && tsi.isExpressionStatement(statements[i]!) && tsi.isStringLiteral((statements[i] as ts.ExpressionStatement).expression)) i++;
    const openAt = i > 0 ? statements[i - 1]!.getEnd() : body.getStart(sourceFile) + 1;
    // A `finally` of the user's can discard a `return x` (by throwing, returning or breaking out of it): then a bare
    // `return` and the end of the body also say that no promise is given back.
    const resets = routes && hasOwnFinally(tsi, body);
    result.push({ at: openAt, text: ` ${opening} `, opening: true, depth });
    result.push({ at: body.getEnd() - 1, text: `${resets ? `; ${n.settled} = false;` : ""} ${closing} `, opening: false, depth });
    for (const r of ownReturns(tsi, body)) {
      if (r.expression) returned(r.expression);
      else if (resets) result.push({ at: r.getStart(sourceFile) + "return".length, text: ` void (${n.settled} = false)`, opening: false, depth: depthOf(r) });
    }
  } else {
    result.push({ at: body.getStart(sourceFile), text: `{ ${opening} return `, opening: true, depth });
    returned(body as ts.Expression);
    result.push({ at: body.getEnd(), text: `; ${closing} }`, opening: false, depth });
  }
  return result;
}

function reading(probe: ProbeSpec, n: ProbeNames): string {
  return probe.kind === "latency" ? `${n.clock}.now()` : `${n.heap}()`;
}

/** `const d = now() - start; if (d > LIMIT) c.violate(d, async, threw);` or `c.add(...)` for percentiles. */
function check(probe: ProbeSpec, start: string, measured: string, async: string, n: ProbeNames): string {
  const elapsed = `${reading(probe, n)} - ${start}`;
  if (probe.percentile) return `${probe.contract}.add(${elapsed}, ${async}, ${n.threw});`;
  return `const ${measured} = ${elapsed}; if (${measured} > ${JSON.stringify(probe.limit)}) ${probe.contract}.violate(${measured}, ${async}, ${n.threw});`;
}
