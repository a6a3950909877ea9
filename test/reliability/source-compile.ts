import * as fs from "node:fs";
import * as path from "node:path";
import type * as ts from "typescript";
import { SourceTransformer, formatSourceDiagnostics, type SourceDiagnostic } from "../../transformer/source";
import { cachingHost, typescriptUnderTest, type TempProject } from "../support/project";
import type { DualOutput } from "./dual-compile";

/**
 * The differential harness's other build configuration: the source-level core (what the bundler hosts run)
 * edits each TypeScript file's text, in strip mode and in instrument mode, and plain TypeScript compiles the
 * result with no transformer at all. The original program is type-checked once, as dualCompile does.
 */
export function sourceDualCompile(strip: TempProject, instrument: TempProject, files: readonly string[], compilerOptions: ts.CompilerOptions, typeCheck = true): DualOutput {
  const tsi = typescriptUnderTest();
  const options: ts.CompilerOptions = { strict: true, skipLibCheck: true, sourceMap: false, types: [], ...compilerOptions };
  const original = tsi.createProgram({ rootNames: files.map((f) => path.join(strip.dir, f)), options, host: cachingHost(tsi, options) });
  const programDiagnostics: ts.Diagnostic[] = typeCheck ? [...tsi.getPreEmitDiagnostics(original)] : [...original.getOptionsDiagnostics(), ...original.getSyntacticDiagnostics()];
  const coreDiagnostics: { strip: SourceDiagnostic[]; instrument: SourceDiagnostic[] } = { strip: [], instrument: [] };
  const emitInto = (project: TempProject, mode: "strip" | "instrument"): Map<string, string> => {
    const core = new SourceTransformer({ mode, cwd: strip.dir, typescript: tsi });
    const edited = new Map<string, string>();
    for (const file of files) {
      const fileName = path.join(strip.dir, file);
      const result = core.transform(fs.readFileSync(fileName, "utf8"), fileName);
      coreDiagnostics[mode].push(...result.diagnostics.filter((d) => d.severity === "error"));
      if (result.code !== undefined) edited.set(fileName, result.code);
    }
    const host = cachingHost(tsi, options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const text = edited.get(path.resolve(fileName));
      return text === undefined ? getSourceFile(fileName, languageVersion, onError, shouldCreate) : tsi.createSourceFile(fileName, text, languageVersion, true);
    };
    const readFile = host.readFile.bind(host);
    host.readFile = (fileName) => edited.get(path.resolve(fileName)) ?? readFile(fileName);
    const program = tsi.createProgram({ rootNames: files.map((f) => path.join(strip.dir, f)), options, host });
    programDiagnostics.push(...program.getSyntacticDiagnostics());
    const outputs = new Map<string, string>();
    const emit = program.emit(undefined, (name, text) => {
      const relative = path.relative(strip.dir, name);
      outputs.set(relative.split(path.sep).join("/"), text);
      const target = path.join(project.dir, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    });
    programDiagnostics.push(...emit.diagnostics);
    return outputs;
  };
  const stripOutputs = emitInto(strip, "strip");
  const instrumentOutputs = emitInto(instrument, "instrument");
  const asDiagnostic = (d: SourceDiagnostic): ts.Diagnostic => ({ file: undefined, start: undefined, length: undefined, messageText: formatSourceDiagnostics([d]), category: tsi.DiagnosticCategory.Error, code: d.code });
  const stripDiagnostics = coreDiagnostics.strip.map(asDiagnostic);
  const instrumentDiagnostics = coreDiagnostics.instrument.map(asDiagnostic);
  const diagnostics = [...programDiagnostics, ...stripDiagnostics, ...instrumentDiagnostics];
  return {
    strip: stripOutputs,
    instrument: instrumentOutputs,
    diagnostics,
    programDiagnostics,
    stripDiagnostics,
    instrumentDiagnostics,
    formatDiagnostics: () => tsi.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => strip.dir, getNewLine: () => "\n" }),
  };
}
