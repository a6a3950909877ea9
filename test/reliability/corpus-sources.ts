import * as fs from "node:fs";
import * as path from "node:path";
import { RELIABILITY_FIXTURES, harnessSources, mainSource, runsNatively, type BuildConfig } from "./differential";

/** The differential corpus (test/fixtures/reliability/corpus/), as every host's corpus test reads it. */
export const CORPUS = path.join(RELIABILITY_FIXTURES, "corpus");
const corpusFiles = fs.readdirSync(CORPUS).filter((f) => f.endsWith(".ts")).sort();

/** Subtests that fail because of a known bug, by name: they stay visible as todos until it is fixed. */
const KNOWN_BUGS: Record<string, string> = {
  "unhandled rejections are the same":
    "runtime bug: Contract.settle() calls value.then(done, done) on the returned promise, which marks it handled: a rejection nobody handles no longer raises unhandledRejection (Node would crash on the plain code)",
};

export function known(name: string): { todo?: string } {
  const todo = KNOWN_BUGS[name];
  return todo === undefined ? {} : { todo };
}

/** The corpus files a configuration compiles: its decorator dialect's, and only what its target runs natively. */
export function filesFor(config: BuildConfig): string[] {
  return corpusFiles.filter(
    (f) => (config.experimentalDecorators ? !f.endsWith(".standard.ts") : !f.endsWith(".experimental.ts")) && runsNatively(config, fs.readFileSync(path.join(CORPUS, f), "utf8")),
  );
}

/** The program a configuration builds: the harness, those corpus files, and a main that runs them all. */
export function sourcesFor(config: BuildConfig): Map<string, string> {
  const sources = harnessSources();
  const files = filesFor(config);
  for (const file of files) sources.set(`corpus/${file}`, fs.readFileSync(path.join(CORPUS, file), "utf8"));
  sources.set("main.ts", mainSource(files.map((f) => `corpus/${f.slice(0, -3)}`)));
  return sources;
}
