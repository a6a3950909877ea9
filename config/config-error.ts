import type { ConfigProblem } from "./types";

/** A config file the user has to fix; `message` lists every problem, one per line, with its location. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** `file:line:column: key.path: message` (+ an indented hint), the shape editors and terminals link. */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  const path = problem.path === "" ? "" : ` ${problem.path}:`;
  const hint = problem.hint ? `\n    hint: ${problem.hint}` : "";
  return `${where}:${path} ${problem.message}${hint}`;
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const first = problems[0];
  if (first === undefined) return "invalid configuration";
  const files = new Set(problems.map((p) => p.file));
  const subject = files.size === 1 ? first.file : "the configuration";
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return [`Invalid configuration in ${subject} (${count}):`, ...problems.map((p) => `  ${formatProblem(p).replace(/\n/g, "\n  ")}`)].join("\n");
}
