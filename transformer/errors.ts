import type * as ts from "typescript";

/** Diagnostic codes, stable so users can search for them. */
export const enum PerfDiagnostic {
  NotAMethod = 91001,
  Generator = 91002,
  NoBody = 91003,
  NonLiteralOptions = 91004,
  UnknownUnit = 91005,
  NonPositiveMax = 91006,
  UnknownOption = 91007,
  MissingOption = 91008,
  BadPercentile = 91009,
  NotCalled = 91010,
  Config = 91011,
  Indirect = 91012,
  IncrementalMode = 91013,
  LegacyDecoratorPosition = 91014,
}

/**
 * A misuse found while matching an annotation. Thrown where it is found, turned into a ts.Diagnostic in one
 * place (the file visitor), so the code that builds probes never has to think about reporting.
 */
export class TransformerError extends Error {
  constructor(
    readonly node: ts.Node,
    readonly code: PerfDiagnostic,
    message: string,
  ) {
    super(message);
    this.name = "TransformerError";
  }
}

export function toDiagnostic(tsi: typeof ts, sourceFile: ts.SourceFile, error: TransformerError): ts.Diagnostic {
  const start = error.node.getStart(sourceFile);
  return {
    file: sourceFile,
    start,
    length: error.node.getEnd() - start,
    messageText: error.message,
    category: tsi.DiagnosticCategory.Error,
    code: error.code,
    source: "@choragen/perf",
  };
}

export function globalDiagnostic(tsi: typeof ts, code: PerfDiagnostic, message: string): ts.Diagnostic {
  return {
    file: undefined,
    start: undefined,
    length: undefined,
    messageText: message,
    category: tsi.DiagnosticCategory.Error,
    code,
    source: "@choragen/perf",
  };
}
