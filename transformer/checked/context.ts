import * as path from "node:path";
import type * as ts from "typescript";
import type { TransformMode } from "../mode";
import type { OnViolation } from "../../runtime/types";
import type { ContractKindName, WrittenBudget } from "../match/options";
import { perfMemberOf } from "../match/runtime-symbol";
import type { PerfMember } from "../match/syntax";
import { probeImportStyle, type ContractFacts, type ProbeExport, type ProbeImportStyle } from "../programmers/module";
import type { ProbeNames } from "../programmers/probe";
import { probeNamesFor } from "../tree/nodes";

/** What every file of one program shares. */
export interface ProgramContext {
  readonly tsi: typeof ts;
  readonly checker: ts.TypeChecker;
  readonly mode: TransformMode;
  /** Project root: file paths in contracts are relative to it. */
  readonly root: string;
  readonly isRuntimeFile: (fileName: string) => boolean;
  readonly addDiagnostic: (diagnostic: ts.Diagnostic) => void;
  /** The budget for an annotation written without options (config default or override). */
  readonly defaultBudget: (kind: ContractKindName, file: string, target: string) => WrittenBudget;
  readonly onViolation: OnViolation;
  readonly toMeasured: (kind: ContractKindName, max: number, unit: string) => number;
  readonly verbatimModuleSyntax: boolean;
  /** experimentalDecorators + emitDecoratorMetadata: decorated signatures keep the imports they name. */
  readonly decoratorMetadata: boolean;
  readonly experimentalDecorators: boolean;
  readonly strictNullChecks: boolean;
}

/**
 * One source file of the ts-patch host: what its feature modules (members, wrappers, timers, imports, probes) share.
 * The host decides with the type checker as it visits, so the file's state grows during the visit: the contracts
 * registered (in the order the goldens fix), the nodes removed (for import elision), the probe exports used.
 */
export interface CheckedFile {
  readonly pc: ProgramContext;
  readonly tsi: typeof ts;
  readonly checker: ts.TypeChecker;
  readonly context: ts.TransformationContext;
  readonly factory: ts.NodeFactory;
  readonly sourceFile: ts.SourceFile;
  /** The file as contracts name it: relative to the project root, forward slashes. */
  readonly file: string;
  readonly prefix: string;
  readonly importStyle: ProbeImportStyle;
  readonly used: Set<ProbeExport>;
  readonly names: ProbeNames;
  /** Our decorators, wrapper calls and timer statements taken out: uses that no longer keep an import. */
  readonly removed: ts.Node[];
  readonly contracts: { name: ts.Identifier; facts: ContractFacts }[];
  /** Per `target#kind`: how many contracts of that kind the target has so far (the id's ordinal). */
  readonly ordinals: Map<string, number>;
  /** Strip mode: timer statements that go. */
  readonly removableStatements: ReadonlySet<ts.Node>;
  /** `perf.latency` & co. through the checker: which member of our runtime's `perf` an expression is, if any. */
  memberOf(expression: ts.Expression): PerfMember | undefined;
  /** The dispatch: visits one node with every feature (see ../file.ts). */
  visit(node: ts.Node): ts.VisitResult<ts.Node | undefined>;
}

export function createCheckedFile(
  pc: ProgramContext,
  context: ts.TransformationContext,
  sourceFile: ts.SourceFile,
  removableStatements: ReadonlySet<ts.Node>,
  visit: (file: CheckedFile, node: ts.Node) => ts.VisitResult<ts.Node | undefined>,
): CheckedFile {
  const { tsi, checker } = pc;
  const f = context.factory;
  // Every name the probes add starts with a prefix that appears nowhere in the file's text, so none can meet a name
  // written there, nor one TypeScript generates from them (those derive from the text: \`foo_1\`, \`_a\`). Picked once
  // per file: asking the factory for a unique name per probe variable cost a count-up over all names taken so far
  // (quadratic in the annotations of a file).
  const prefix = freePrefix(sourceFile.text);
  const importStyle = probeImportStyle(tsi, sourceFile, context.getCompilerOptions());
  const used = new Set<ProbeExport>(["contract"]);
  const names = probeNamesFor(f, importStyle, prefix, used);
  const file: CheckedFile = {
    pc,
    tsi,
    checker,
    context,
    factory: f,
    sourceFile,
    file: path.relative(pc.root, sourceFile.fileName).split(path.sep).join("/"),
    prefix,
    importStyle,
    used,
    names,
    removed: [],
    contracts: [],
    ordinals: new Map(),
    removableStatements,
    memberOf: (expression) => perfMemberOf(tsi, checker, pc.isRuntimeFile, expression),
    visit: (node) => visit(file, node),
  };
  return file;
}

/** `__perf`, else `__perf1`, `__perf2`, ...: the first that the text does not contain anywhere. */
function freePrefix(text: string): string {
  let prefix = "__perf";
  for (let i = 1; text.includes(prefix); i++) prefix = `__perf${i}`;
  return prefix;
}
