import { test, before, after, type TestContext } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, findConfigFile, findProjectRoot, loadConfig } from "../../config";

let tmp = "";

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "choragen-config-")));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(relative: string, text: string): string {
  const file = path.join(tmp, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function mkdir(relative: string): string {
  const dir = path.join(tmp, relative);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** These tests assume nothing above the temp folder is a choragen project; say so instead of failing oddly. */
function outsideAnyProject(t: TestContext): boolean {
  const clean = findConfigFile(path.dirname(tmp)) === null && findProjectRoot(path.dirname(tmp)) === path.dirname(tmp);
  if (!clean) t.skip(`${path.dirname(tmp)} is inside a project (a .choragen/ or package.json above it)`);
  return clean;
}

test("findConfigFile walks up to the nearest .choragen/performance.yaml", () => {
  const config = write("walk/.choragen/performance.yaml", "contracts:\n  onViolation: warn\n");
  const deep = mkdir("walk/src/a/b/c");
  assert.equal(findConfigFile(deep), config);
  assert.equal(findConfigFile(path.join(tmp, "walk")), config);
  assert.equal(findConfigFile(path.join(tmp, "walk", ".choragen")), config);
});

test("the nearest config wins over one further up", () => {
  write("nest/.choragen/performance.yaml", "contracts:\n  onViolation: warn\n");
  const inner = write("nest/packages/app/.choragen/performance.yaml", "contracts:\n  onViolation: throw\n");
  assert.equal(findConfigFile(mkdir("nest/packages/app/src")), inner);
  const loaded = loadConfig({ cwd: path.join(tmp, "nest/packages/app/src") });
  assert.equal(loaded.config.contracts.onViolation, "throw");
  assert.equal(loaded.root, path.join(tmp, "nest/packages/app"));
});

test("a .choragen folder without performance.yaml is not a config, and a directory named like the file is skipped", (t) => {
  mkdir("bare/.choragen/baselines");
  mkdir("bare/sub/.choragen/performance.yaml");
  if (!outsideAnyProject(t)) return;
  assert.equal(findConfigFile(path.join(tmp, "bare/sub")), null);
});

test("findProjectRoot: the folder holding .choragen/, else the nearest package.json, else the start folder", (t) => {
  mkdir("rootA/.choragen");
  write("rootA/packages/lib/package.json", "{}");
  assert.equal(findProjectRoot(mkdir("rootA/packages/lib/src")), path.join(tmp, "rootA"));

  write("rootB/package.json", "{}");
  if (!outsideAnyProject(t)) return;
  assert.equal(findProjectRoot(mkdir("rootB/src/deep")), path.join(tmp, "rootB"));
  const lonely = mkdir("rootC/x");
  assert.equal(findProjectRoot(lonely), lonely);
});

test("loadConfig from a subfolder: the file, its root, and sources", () => {
  const file = write("proj/.choragen/performance.yaml", "thresholds:\n  minScore: 90\n");
  write("proj/package.json", "{}");
  const loaded = loadConfig({ cwd: mkdir("proj/src/api") });
  assert.equal(loaded.file, file);
  assert.equal(loaded.root, path.join(tmp, "proj"));
  assert.equal(loaded.config.thresholds.minScore, 90);
  assert.equal(loaded.sources.get("thresholds.minScore"), "file");
  assert.equal(loaded.sources.get("thresholds.maxViolations"), "default");
});

test("an explicit path wins over the search and is resolved against cwd", () => {
  write("expl/.choragen/performance.yaml", "contracts:\n  onViolation: warn\n");
  const other = write("expl/ci/perf-strict.yaml", "contracts:\n  onViolation: throw\n");
  const cwd = path.join(tmp, "expl");
  const loaded = loadConfig({ cwd, explicitPath: "ci/perf-strict.yaml" });
  assert.equal(loaded.file, other);
  assert.equal(loaded.config.contracts.onViolation, "throw");
  assert.equal(loaded.root, cwd, "a file outside .choragen/ belongs to the project around cwd");
});

test("an explicit path that does not exist, or is a folder, is a ConfigError naming it", () => {
  const cwd = mkdir("missing");
  assert.throws(
    () => loadConfig({ cwd, explicitPath: "nope.yaml" }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.problems[0]?.file === path.join(cwd, "nope.yaml") &&
      error.problems[0].line === 0 &&
      /config file not found/.test(error.message),
  );
  assert.throws(() => loadConfig({ cwd, explicitPath: "." }), (error: unknown) => error instanceof ConfigError && /is a directory/.test(error.message));
});

test("no file anywhere: the defaults, file null", (t) => {
  const cwd = mkdir("nofile/src");
  write("nofile/package.json", "{}");
  if (!outsideAnyProject(t)) return;
  const loaded = loadConfig({ cwd });
  assert.equal(loaded.file, null);
  assert.equal(loaded.root, path.join(tmp, "nofile"));
  assert.equal(loaded.config.contracts.latency.default.max, 200);
  assert.equal(loaded.sources.get("contracts.latency.default"), "default");
});

test("a config under the wrong name is an error, not a silent fallback to defaults", () => {
  const misnamed = write("yml/.choragen/performance.yml", "contracts:\n  onViolation: throw\n");
  assert.throws(
    () => loadConfig({ cwd: path.join(tmp, "yml") }),
    (error: unknown) => error instanceof ConfigError && error.problems[0]?.file === misnamed && /rename it to .choragen\/performance.yaml/.test(error.message),
  );
});

test("a byte-order mark at the start of the file is ignored", () => {
  write("bom/.choragen/performance.yaml", "\ufeffthresholds:\n  minScore: 70\n");
  assert.equal(loadConfig({ cwd: path.join(tmp, "bom") }).config.thresholds.minScore, 70);
});
