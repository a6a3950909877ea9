import * as path from "node:path";
import type * as ts from "typescript";
import { REPO_ROOT, typescriptUnderTest, type TempProject } from "../support/project";
import { emitBothModes, type DualOutput } from "./dual-compile";

/**
 * The differential harness's third build configuration: the ts-jest host (`@choragen/perf/ts-jest`'s factory, the
 * tree emitter applying the checker-free core's decisions to the compiler's own nodes) as a `before` transformer of
 * one real Program, emitted once per mode, as ts-jest's language service does. Its TsCompiler is reduced to what the
 * factory reads: the TypeScript in use, the project folder, and a diagnostics sink in place of ts-jest's.
 */
export function treeDualCompile(strip: TempProject, instrument: TempProject, files: readonly string[], compilerOptions: ts.CompilerOptions, typeCheck = true): DualOutput {
  const tsi = typescriptUnderTest();
  const options: ts.CompilerOptions = { strict: true, skipLibCheck: true, sourceMap: false, types: [], ...compilerOptions };
  const host = require(path.join(REPO_ROOT, "dist", "transformer", "hosts", "ts-jest.js")) as typeof import("../../transformer/hosts/ts-jest");
  return emitBothModes(strip, instrument, files, options, typeCheck, (_program, mode) => {
    const diagnostics: ts.Diagnostic[] = [];
    const compiler = { configSet: { compilerModule: tsi, rootDir: strip.dir, cwd: strip.dir, raiseDiagnostics: (d: ts.Diagnostic[]) => void diagnostics.push(...d) } };
    return { factory: host.factory(compiler, { mode }), diagnostics };
  });
}
