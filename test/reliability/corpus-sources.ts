import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { TestContext } from "node:test";
import { RELIABILITY_FIXTURES, harnessSources, mainSource, observable, runsNatively, tally, type BuildConfig, type Observations, type UnhandledRejection } from "./differential";

/** The differential corpus (test/fixtures/reliability/corpus/), as every host's corpus test reads it. */
export const CORPUS = path.join(RELIABILITY_FIXTURES, "corpus");
const corpusFiles = fs.readdirSync(CORPUS).filter((f) => f.endsWith(".ts")).sort();

/** Subtests that fail because of a known bug, by name: they stay visible as todos until it is fixed. */
const KNOWN_BUGS: Record<string, string> = {
  "unhandled rejections are the same in the shape the runtime cannot follow":
    "runtime bug: Contract.settle() calls value.then(done, done) on the returned promise, which marks it handled: a rejection nobody handles no longer raises unhandledRejection (Node would crash on the plain code)",
};

/** The one shape whose unhandled rejection the known bug above swallows; every other shape's are compared as they are. */
const UNFOLLOWED = "a rejected promise nobody handles stays unhandled";
const during = (unhandled: readonly UnhandledRejection[], inside: boolean): UnhandledRejection[] => unhandled.filter((u) => (u.during === UNFOLLOWED) === inside);

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

/**
 * What every host's corpus test asks of its two programs: the same shapes ran, modules loaded alike, the same
 * unhandled rejections, and each shape indistinguishable to its callers; the stripped program recorded nothing and
 * the instrumented one exactly the violations the shape expects.
 */
export async function assertIndistinguishable(t: TestContext, stripped: Observations, instrumented: Observations): Promise<void> {
  assert.deepEqual(instrumented.shapes.map((s) => s.name), stripped.shapes.map((s) => s.name), "the same shapes ran");
  await t.test("module loading (decorators applied, static blocks) is the same", () => assert.deepEqual(instrumented.load, stripped.load));
  await t.test("unhandled rejections are the same", () => assert.deepEqual(during(instrumented.unhandled, false), during(stripped.unhandled, false)));
  const unfollowed = "unhandled rejections are the same in the shape the runtime cannot follow";
  await t.test(unfollowed, known(unfollowed), () => assert.deepEqual(during(instrumented.unhandled, true), during(stripped.unhandled, true)));
  for (const [i, s] of stripped.shapes.entries()) {
    const other = instrumented.shapes[i]!;
    await t.test(s.name, known(s.name), () => {
      assert.deepEqual(observable(other), observable(s));
      assert.deepEqual(s.violations, [], "stripped code records nothing");
      assert.deepEqual(tally(other.violations), tally(other.expected), "instrumented code records exactly the expected violations");
    });
  }
}
