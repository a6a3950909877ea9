/**
 * runtime/ has no import cycle, type-only imports included: a module graph without cycles loads in one
 * order in CommonJS and ESM alike, and each module can be read (and changed) without the whole ring.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as ts from "typescript";
import { REPO_ROOT } from "../support/project";

type Graph = ReadonlyMap<string, readonly string[]>;

/** Every .ts/.mts file under `dir`, relative to it, `/`-separated. */
function sourceFiles(dir: string, under = ""): string[] {
  return fs.readdirSync(path.join(dir, under), { withFileTypes: true }).flatMap((entry) => {
    const rel = under === "" ? entry.name : `${under}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(dir, rel);
    return /\.m?ts$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [rel] : [];
  });
}

/** Imports and re-exports (`import type` and `export ... from` included) between the files of `dir`. */
function importGraph(dir: string): Graph {
  const files = sourceFiles(dir);
  const known = new Set(files);
  const resolveSpecifier = (from: string, specifier: string): string | undefined => {
    if (!specifier.startsWith(".")) return undefined;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/\.m?js$/, "");
    return [`${base}.ts`, `${base}.mts`, `${base}/index.ts`].find((candidate) => known.has(candidate));
  };
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(dir, file), "utf8"), true, true);
    const targets = info.importedFiles.map((ref) => resolveSpecifier(file, ref.fileName)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Each cycle once, as the list of its files starting from the smallest name. */
export function findCycles(graph: Graph): string[][] {
  const cycles = new Map<string, string[]>();
  const visit = (node: string, trail: readonly string[]): void => {
    for (const next of graph.get(node) ?? []) {
      const at = trail.indexOf(next);
      if (at >= 0) {
        const ring = trail.slice(at);
        const start = ring.indexOf([...ring].sort()[0]!);
        const rotated = [...ring.slice(start), ...ring.slice(0, start)];
        cycles.set(rotated.join(" → "), rotated);
      } else {
        visit(next, [...trail, next]);
      }
    }
  };
  for (const node of [...graph.keys()].sort()) visit(node, [node]);
  return [...cycles.values()];
}

describe("runtime/ import graph", () => {
  it("finds a cycle when there is one (the check can fail)", () => {
    const graph = new Map([
      ["state.ts", ["contract.ts"]],
      ["contract.ts", ["types.ts", "state.ts"]],
      ["types.ts", []],
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
    ]);
    assert.deepEqual(findCycles(graph), [
      ["a.ts", "b.ts", "c.ts"],
      ["contract.ts", "state.ts"],
    ]);
  });

  it("has no cycle, type-only imports included", () => {
    const graph = importGraph(path.join(REPO_ROOT, "runtime"));
    // The graph really was read: the runtime's modules and their imports, not an empty folder.
    assert.ok(graph.size >= 20, `only ${graph.size} runtime files found`);
    assert.ok((graph.get("contract.ts") ?? []).includes("state.ts"), "contract.ts → state.ts not seen: the import reader is broken");
    assert.deepEqual(findCycles(graph).map((cycle) => cycle.join(" → ")), []);
  });
});
