import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import { cachingHost, REPO_ROOT, typescriptUnderTest, type TempProject } from "../support/project";
import type { DualOutput } from "./dual-compile";

/**
 * The differential harness's third build configuration: the ts-jest host (`@choragen/perf/ts-jest`'s factory, the
 * tree emitter applying the checker-free core's decisions to the compiler's own nodes) as a `before` transformer of
 * one real Program, emitted once per mode, as ts-jest's language service does. Its TsCompiler is reduced to what the
 * factory reads: the TypeScript in use, the project folder, and a diagnostics sink in place of ts-jest's.
 */
export function treeDualCompile(strip: TempProject, instrument: TempProject, files: readonly string[], compilerOptions: ts.CompilerOptions, typeCheck = true): DualOutput {
  const tsi = typescriptUnderTest();
  const options: ts.CompilerOptions = { strict: true, skipLibCheck: true, sourceMap: false, types: [], ...compilerOptions };
  const program = tsi.createProgram({ rootNames: files.map((f) => path.join(strip.dir, f)), options, host: cachingHost(tsi, options) });
  const programDiagnostics: ts.Diagnostic[] = typeCheck ? [...tsi.getPreEmitDiagnostics(program)] : [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics()];
  const transformerDiagnostics = { strip: [] as ts.Diagnostic[], instrument: [] as ts.Diagnostic[] };
  const host = require(path.join(REPO_ROOT, "dist", "transformer", "hosts", "ts-jest.js")) as typeof import("../../transformer/hosts/ts-jest");
  const emitInto = (project: TempProject, mode: "strip" | "instrument"): Map<string, string> => {
    const outputs = new Map<string, string>();
    const compiler = { configSet: { compilerModule: tsi, rootDir: strip.dir, cwd: strip.dir, raiseDiagnostics: (d: ts.Diagnostic[]) => void transformerDiagnostics[mode].push(...d) } };
    const emit = program.emit(
      undefined,
      (name, text) => {
        const relative = path.relative(strip.dir, name);
        outputs.set(relative.split(path.sep).join("/"), text);
        const target = path.join(project.dir, relative);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, text);
      },
      undefined,
      false,
      { before: [host.factory(compiler, { mode })] },
    );
    programDiagnostics.push(...emit.diagnostics);
    return outputs;
  };
  const stripOutputs = emitInto(strip, "strip");
  const instrumentOutputs = emitInto(instrument, "instrument");
  const diagnostics = [...programDiagnostics, ...transformerDiagnostics.strip, ...transformerDiagnostics.instrument];
  return {
    strip: stripOutputs,
    instrument: instrumentOutputs,
    diagnostics,
    programDiagnostics,
    stripDiagnostics: transformerDiagnostics.strip,
    instrumentDiagnostics: transformerDiagnostics.instrument,
    formatDiagnostics: () => tsi.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => strip.dir, getNewLine: () => "\n" }),
  };
}
