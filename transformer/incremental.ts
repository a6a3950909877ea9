import type * as ts from "typescript";
import { resolveMode } from "./mode";
import type { PerfTransformerOptions } from "./index";

/** The tsconfig plugins entry that makes an incremental build see the mode (see modeInBuildInfo). */
export const MODE_ENTRY = '{ "transform": "@choragen/perf/transformer", "import": "modeInBuildInfo", "transformProgram": true }';

const TAG = /\|@choragen\/perf:[a-z]+$/;

/**
 * A ts-patch program transformer for `incremental` / `composite` builds. TypeScript re-emits a file when its
 * version (a hash of its text, kept in .tsbuildinfo) or an emit-affecting compiler option changed; the mode
 * (instrument or strip, often from NODE_ENV) is neither, so `NODE_ENV=production tspc` after an instrumented
 * build re-emitted nothing and shipped the probes. This appends the mode to every source file's version before
 * the builder reads it: a build in the other mode sees every file as changed and re-emits it; a build in the
 * same mode stays incremental.
 *
 * tsconfig: `"plugins": [{ "transform": "@choragen/perf/transformer" }, MODE_ENTRY]`.
 */
export function modeInBuildInfo(program: ts.Program, _host: unknown, options: PerfTransformerOptions = {}): ts.Program {
  const mode = modeOf(program, options);
  if (mode === undefined) return program; // an invalid mode: the source transformer reports it
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile) continue;
    const versioned = file as ts.SourceFile & { version?: unknown };
    if (typeof versioned.version !== "string") continue;
    // A watch build hands the same SourceFile to the next program: replace the tag rather than append twice.
    versioned.version = `${versioned.version.replace(TAG, "")}|@choragen/perf:${mode}`;
  }
  return program;
}

/** This entry's `mode`, else the source transformer entry's, else the environment (as the transformer decides). */
function modeOf(program: ts.Program, options: PerfTransformerOptions): string | undefined {
  const entries = (program.getCompilerOptions().plugins ?? []) as unknown as readonly (Record<string, unknown> | undefined)[];
  const sourceEntry = entries.find((e) => e !== undefined && isOurs(e["transform"]) && e["transformProgram"] !== true);
  try {
    return resolveMode(options.mode ?? sourceEntry?.["mode"]);
  } catch {
    return undefined;
  }
}

function isOurs(transform: unknown): boolean {
  return typeof transform === "string" && /@choragen\/perf\/transformer$|\/transformer(?:\/index(?:\.js)?)?$/.test(transform);
}

/** Whether the program builds incrementally without MODE_ENTRY: the source transformer reports it as an error. */
export function lacksModeEntry(compilerOptions: ts.CompilerOptions): boolean {
  if (compilerOptions.incremental !== true && compilerOptions.composite !== true) return false;
  const entries = (compilerOptions.plugins ?? []) as unknown as readonly (Record<string, unknown> | undefined)[];
  return !entries.some((e) => e !== undefined && isOurs(e["transform"]) && e["transformProgram"] === true && e["import"] === "modeInBuildInfo");
}
