import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import { typescriptUnderTest } from "../support/project";

/**
 * Writes a `@perf.latency` / `@perf.memory` annotation on every method and accessor of every class of a source
 * tree, the way a user would type them (the decorator on its own line above the member, the import after the
 * file's last import), so a real project can be compiled with contracts everywhere. The real-world corpus test
 * (real-world.test.ts) runs it on a temporary copy of each project; it can also be run by hand, after a build:
 *
 *   node scripts/annotate-classes.mjs <from-dir> <to-dir> [--experimental]
 *
 * Contracts rotate through four generous forms (a call never comes near them, so behaviour is unchanged):
 * latency, memory, both stacked (the fused probe), and a latency percentile (whose contract counts every call).
 * `tight` replaces the contract of chosen targets with one every call violates, to check where violations land.
 */
export type DecoratorDialect = "standard" | "experimental";

export interface AnnotationPlan {
  readonly dialect: DecoratorDialect;
  /** `Class.method` → the decorators to write instead of the generous ones, e.g. `@perf.latency({ max: 1, unit: "ns" })`. */
  readonly tight?: Readonly<Record<string, string>>;
}

export interface Annotation {
  /** Path relative to the tree's root, with `/`. */
  readonly file: string;
  /** 1-based line of each decorator written, in the annotated file. */
  readonly lines: readonly number[];
  /** `Class.method`, `Class.get name`, as the transformer names targets. */
  readonly target: string;
  readonly decorators: readonly string[];
  readonly tight: boolean;
}

export interface Skipped {
  readonly file: string;
  readonly target: string;
  readonly reason: string;
}

export interface AnnotatedFile {
  readonly text: string;
  readonly annotations: readonly Annotation[];
  readonly skipped: readonly Skipped[];
}

const GENEROUS: readonly (readonly string[])[] = [
  ['@perf.latency({ max: 60, unit: "s" })'],
  ['@perf.memory({ max: 1, unit: "GB" })'],
  ['@perf.latency({ max: 60, unit: "s" })', '@perf.memory({ max: 1, unit: "GB" })'],
  ['@perf.latency({ max: 60, unit: "s", percentile: 95 })'],
];

const IMPORT = 'import { perf } from "@choragen/perf";';

interface Insertion {
  readonly at: number;
  readonly text: string;
}

/** Annotates one file's text; `file` is its path relative to the tree (for the returned records). */
export function annotateSource(text: string, file: string, plan: AnnotationPlan, tsi: typeof ts = typescriptUnderTest()): AnnotatedFile {
  const sourceFile = tsi.createSourceFile(file, text, tsi.ScriptTarget.Latest, true, tsi.ScriptKind.TS);
  const insertions: Insertion[] = [];
  const pending: { at: number; target: string; decorators: readonly string[]; tight: boolean }[] = [];
  const skipped: Skipped[] = [];
  let ordinal = 0;

  const visitClass = (cls: ts.ClassLikeDeclaration): void => {
    const className = cls.name?.text ?? "(anonymous class)";
    const accessorsSeen = new Set<string>();
    for (const member of cls.members) {
      if (!tsi.isMethodDeclaration(member) && !tsi.isGetAccessorDeclaration(member) && !tsi.isSetAccessorDeclaration(member)) continue;
      const name = member.name.getText(sourceFile);
      const prefix = tsi.isGetAccessorDeclaration(member) ? "get " : tsi.isSetAccessorDeclaration(member) ? "set " : "";
      const target = `${className}.${prefix}${name}`;
      const skip = (reason: string): void => void skipped.push({ file, target, reason });
      // Bodiless members are overload signatures, abstract or ambient: nothing to measure (and a misuse to annotate).
      if (!member.body) continue;
      if (tsi.isMethodDeclaration(member) && member.asteriskToken) {
        skip("generator (a contract on a generator is a misuse)");
        continue;
      }
      if (plan.dialect === "experimental") {
        // TypeScript itself rejects these under experimentalDecorators (issue 11, item 10).
        if (tsi.isClassExpression(cls)) {
          skip("class expression (experimentalDecorators)");
          continue;
        }
        if (tsi.isPrivateIdentifier(member.name)) {
          skip("#private member (experimentalDecorators)");
          continue;
        }
        if (!tsi.isMethodDeclaration(member)) {
          if (accessorsSeen.has(name)) {
            skip("second half of a get/set pair (experimentalDecorators)");
            continue;
          }
          accessorsSeen.add(name);
        }
      }
      const tight = plan.tight?.[target];
      const decorators = tight !== undefined ? [tight] : GENEROUS[ordinal++ % GENEROUS.length]!;
      pending.push({ at: member.getStart(sourceFile), target, decorators, tight: tight !== undefined });
    }
  };

  const visit = (node: ts.Node): void => {
    if (tsi.isClassLike(node)) visitClass(node);
    tsi.forEachChild(node, visit);
  };
  visit(sourceFile);

  if (pending.length === 0) return { text, annotations: [], skipped };

  const imports = sourceFile.statements.filter(tsi.isImportDeclaration);
  const lastImport = imports[imports.length - 1];
  insertions.push(lastImport ? { at: lastImport.end, text: `\n${IMPORT}` } : { at: 0, text: `${IMPORT}\n` });
  for (const p of pending) {
    const lineStart = text.lastIndexOf("\n", p.at - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, p.at))![0];
    const ownLine = indent.length === p.at - lineStart;
    insertions.push({ at: p.at, text: p.decorators.map((d) => (ownLine ? `${d}\n${indent}` : `${d} `)).join("") });
  }

  let annotated = "";
  let from = 0;
  const sorted = [...insertions].sort((a, b) => a.at - b.at);
  const startOf = new Map<number, number>();
  for (const insertion of sorted) {
    annotated += text.slice(from, insertion.at);
    startOf.set(insertion.at, annotated.length);
    annotated += insertion.text;
    from = insertion.at;
  }
  annotated += text.slice(from);

  const lineAt = (offset: number): number => annotated.slice(0, offset).split("\n").length;
  const annotations = pending.map((p): Annotation => {
    let offset = startOf.get(p.at)!;
    const lines: number[] = [];
    for (const d of p.decorators) {
      const at = annotated.indexOf(d, offset);
      lines.push(lineAt(at));
      offset = at + d.length;
    }
    return { file, lines, target: p.target, decorators: p.decorators, tight: p.tight };
  });
  return { text: annotated, annotations, skipped };
}

export interface AnnotatedTree {
  readonly annotations: readonly Annotation[];
  readonly skipped: readonly Skipped[];
  /** Files (relative) that received at least one annotation. */
  readonly files: readonly string[];
}

/** Copies `from` to `to`, annotating every `.ts` file that is not a declaration file. */
export function annotateTree(from: string, to: string, plan: AnnotationPlan): AnnotatedTree {
  const tsi = typescriptUnderTest();
  const annotations: Annotation[] = [];
  const skipped: Skipped[] = [];
  const files: string[] = [];
  const walk = (relative: string): void => {
    const source = path.join(from, relative);
    if (fs.statSync(source).isDirectory()) {
      for (const entry of fs.readdirSync(source).sort()) walk(path.join(relative, entry));
      return;
    }
    const target = path.join(to, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const name = relative.split(path.sep).join("/");
    if (!name.endsWith(".ts") || name.endsWith(".d.ts")) {
      fs.copyFileSync(source, target);
      return;
    }
    const result = annotateSource(fs.readFileSync(source, "utf8"), name, plan, tsi);
    fs.writeFileSync(target, result.text);
    annotations.push(...result.annotations);
    skipped.push(...result.skipped);
    if (result.annotations.length > 0) files.push(name);
  };
  walk("");
  return { annotations, skipped, files };
}
