import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import { cachingHost, REPO_ROOT, typescriptUnderTest, type TempProject } from "../support/project";

export interface DualOutput {
  /** Emitted JavaScript by path relative to its project (src/x.js), per mode. */
  readonly strip: Map<string, string>;
  readonly instrument: Map<string, string>;
  /** The program's own diagnostics and both transformer runs'. */
  readonly diagnostics: readonly ts.Diagnostic[];
  /** The same, apart: the program's, and each transformer run's. */
  readonly programDiagnostics: readonly ts.Diagnostic[];
  readonly stripDiagnostics: readonly ts.Diagnostic[];
  readonly instrumentDiagnostics: readonly ts.Diagnostic[];
  formatDiagnostics(): string;
}

/**
 * One program, emitted twice with the real transformer: in strip mode into `strip`'s folder (where the sources
 * are) and in instrument mode into `instrument`'s folder, at the same relative paths. Type-checking is what a
 * compile costs; doing it once for both modes halves the cost of every differential run. Without `typeCheck`
 * only syntax is checked (the transformer still uses the type checker for what it needs): for generated code
 * that is well-typed by construction.
 */
export function dualCompile(strip: TempProject, instrument: TempProject, files: readonly string[], compilerOptions: ts.CompilerOptions, typeCheck = true): DualOutput {
  const tsi = typescriptUnderTest();
  const options: ts.CompilerOptions = { strict: true, skipLibCheck: true, sourceMap: false, types: [], ...compilerOptions, configFilePath: path.join(strip.dir, "tsconfig.json") };
  const program = tsi.createProgram({ rootNames: files.map((f) => path.join(strip.dir, f)), options, host: cachingHost(tsi, options) });
  const programDiagnostics: ts.Diagnostic[] = typeCheck ? [...tsi.getPreEmitDiagnostics(program)] : [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics()];
  const diagnostics = [...programDiagnostics];
  const transformerDiagnostics = { strip: [] as ts.Diagnostic[], instrument: [] as ts.Diagnostic[] };
  const { createPerfTransformer } = require(path.join(REPO_ROOT, "dist", "transformer", "index.js")) as typeof import("../../transformer");
  const emitInto = (project: TempProject, mode: "strip" | "instrument"): Map<string, string> => {
    const outputs = new Map<string, string>();
    const perf = createPerfTransformer(program, { mode }, tsi);
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
      { before: [perf.factory] },
    );
    programDiagnostics.push(...emit.diagnostics);
    transformerDiagnostics[mode].push(...perf.diagnostics);
    diagnostics.push(...emit.diagnostics, ...perf.diagnostics);
    return outputs;
  };
  return {
    strip: emitInto(strip, "strip"),
    instrument: emitInto(instrument, "instrument"),
    diagnostics,
    programDiagnostics,
    stripDiagnostics: transformerDiagnostics.strip,
    instrumentDiagnostics: transformerDiagnostics.instrument,
    formatDiagnostics: () => tsi.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => strip.dir, getNewLine: () => "\n" }),
  };
}
