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

/** What one host puts in a program's `before` list for a mode, and the diagnostics it reports while it runs. */
export type HostTransformer = (program: ts.Program, mode: "strip" | "instrument") => { readonly factory: ts.TransformerFactory<ts.SourceFile>; readonly diagnostics: readonly ts.Diagnostic[] };

/**
 * One program, emitted twice with a host's real transformer: in strip mode into `strip`'s folder (where the
 * sources are) and in instrument mode into `instrument`'s folder, at the same relative paths. Type-checking is
 * what a compile costs; doing it once for both modes halves the cost of every differential run. Without
 * `typeCheck` only syntax is checked (the transformer still uses the type checker for what it needs): for
 * generated code that is well-typed by construction.
 */
export function emitBothModes(strip: TempProject, instrument: TempProject, files: readonly string[], options: ts.CompilerOptions, typeCheck: boolean, transformerFor: HostTransformer): DualOutput {
  const tsi = typescriptUnderTest();
  const program = tsi.createProgram({ rootNames: files.map((f) => path.join(strip.dir, f)), options, host: cachingHost(tsi, options) });
  const programDiagnostics: ts.Diagnostic[] = typeCheck ? [...tsi.getPreEmitDiagnostics(program)] : [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics()];
  const transformerDiagnostics = { strip: [] as ts.Diagnostic[], instrument: [] as ts.Diagnostic[] };
  const emitInto = (project: TempProject, mode: "strip" | "instrument"): Map<string, string> => {
    const outputs = new Map<string, string>();
    const transformer = transformerFor(program, mode);
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
      { before: [transformer.factory] },
    );
    programDiagnostics.push(...emit.diagnostics);
    transformerDiagnostics[mode].push(...transformer.diagnostics);
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

/** The ts-patch host: `createPerfTransformer`, as `tspc` runs it from a tsconfig in `strip`'s folder. */
export function dualCompile(strip: TempProject, instrument: TempProject, files: readonly string[], compilerOptions: ts.CompilerOptions, typeCheck = true): DualOutput {
  const options: ts.CompilerOptions = { strict: true, skipLibCheck: true, sourceMap: false, types: [], ...compilerOptions, configFilePath: path.join(strip.dir, "tsconfig.json") };
  const { createPerfTransformer } = require(path.join(REPO_ROOT, "dist", "transformer", "index.js")) as typeof import("../../transformer");
  return emitBothModes(strip, instrument, files, options, typeCheck, (program, mode) => createPerfTransformer(program, { mode }, typescriptUnderTest()));
}
