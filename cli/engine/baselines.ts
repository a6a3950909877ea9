/**
 * Baselines: `.choragen/baselines/<bench file path, "/" → "__">.json`, one per bench file, meant to
 * be committed. Read from the working tree, or from a git ref with `git show`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { removeStaleTempFiles, writeFileAtomic } from "./atomic";
import { git } from "./git";
import { baselinesDir, toPosixRelative } from "./paths";
import { EngineError, type BaselineFile, type Baselines, type BenchResult, type RunResults } from "./types";
import { ShapeError, checkBaselineFile } from "./validate";

const MAX_NAME = 180;

/**
 * The baseline file name for a bench file. Only [A-Za-z0-9._-] survive, so the name can never hold a
 * separator, start with a dot or be "." / "..": whatever the input, the file stays in the baselines folder.
 */
export function baselineFileName(benchFile: string): string {
  let name = benchFile
    .split(/[\\/]+/)
    .filter((part) => part !== "" && part !== ".")
    .join("__")
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .replace(/^[.]+/, "_");
  if (name === "" || name === "_") name = "_bench";
  // Readable names are kept only where they can be read back: a path of plain segments joined by "__".
  // Anything the mapping had to change gets a hash of the real path, so two bench files never share a file.
  const lossless = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)*$/.test(benchFile) && !benchFile.split("/").some((part) => part.includes("__") || part === "." || part === "..");
  if (!lossless && name.length <= MAX_NAME) name = `${name.slice(0, MAX_NAME - 13)}-${createHash("sha256").update(benchFile).digest("hex").slice(0, 12)}`;
  if (name.length > MAX_NAME) {
    const hash = createHash("sha256").update(benchFile).digest("hex").slice(0, 12);
    name = `${name.slice(0, MAX_NAME - 13)}-${hash}`;
  }
  return `${name}.json`;
}

export function baselinePath(root: string, benchFile: string): string {
  const dir = baselinesDir(root);
  const file = path.join(dir, baselineFileName(benchFile));
  if (path.dirname(file) !== dir) throw new Error(`internal: baseline path escaped ${dir}: ${file}`);
  return file;
}

/**
 * Writes the baselines of every bench file in `results` that has at least one measured benchmark.
 * A filtered run (`results.filter`) updates only the benchmarks it measured and keeps the others.
 */
export function saveBaselines(root: string, results: RunResults): string[] {
  if (results.quick) {
    throw new EngineError("quick-mode results are too rough to compare against: run without --quick to save baselines", undefined, "quick-results");
  }
  const byFile = new Map<string, BenchResult[]>();
  const failed = new Set<string>();
  for (const r of results.results) {
    if (r.stats === undefined) {
      failed.add(`${r.file}\0${r.id}`);
      continue;
    }
    const list = byFile.get(r.file) ?? [];
    list.push(r);
    byFile.set(r.file, list);
  }
  const written: string[] = [];
  for (const [file, measured] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const target = baselinePath(root, file);
    let merged = measured;
    // A bench that threw, hung or crashed in this run keeps its old baseline: losing it would turn the
    // bench into "new" once fixed, and a slowdown introduced meanwhile would never be compared.
    // A filtered run also keeps the benches it did not run. A bench no longer declared is dropped.
    const previous = readBaselineFileIfValid(target);
    if (previous !== undefined) {
      const ids = new Set(measured.map((r) => r.id));
      const keep = (id: string): boolean => !ids.has(id) && (results.filter !== undefined || failed.has(`${file}\0${id}`));
      merged = [...previous.results.filter((r) => keep(r.id)), ...measured];
    }
    const baseline: BaselineFile = {
      schemaVersion: 1,
      file,
      createdAt: results.createdAt,
      ...(results.commit === undefined ? {} : { commit: results.commit }),
      machine: results.machine,
      results: merged.map(stripForBaseline),
    };
    writeFileAtomic(target, JSON.stringify(baseline, null, 2) + "\n");
    written.push(target);
  }
  removeStaleTempFiles(baselinesDir(root));
  return written;
}

function stripForBaseline(r: BenchResult): BenchResult {
  // The budget belongs to the config and the bench file, not to the measurement.
  const { budget: _budget, fileBudget: _fileBudget, error: _error, timedOut: _timedOut, ...rest } = r;
  return rest;
}

function readBaselineFileIfValid(file: string): BaselineFile | undefined {
  try {
    return checkBaselineFile(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return undefined;
  }
}

function parseBaseline(text: string, shown: string): BaselineFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const problem = `baseline ${shown} is not valid JSON (${(error as Error).message})`;
    throw new EngineError(`${problem}; restore it from git or save it again with --save-baseline`, shown, "bad-file", problem);
  }
  try {
    return checkBaselineFile(parsed);
  } catch (error) {
    if (error instanceof ShapeError) {
      const problem = `baseline ${shown}: ${error.message}`;
      throw new EngineError(`${problem}; save it again with --save-baseline`, shown, "bad-file", problem);
    }
    throw error;
  }
}

export interface LoadBaselineOptions {
  /** A git ref (branch, tag, commit): read `.choragen/baselines/` as committed there. */
  readonly ref?: string;
}

export async function loadBaselines(root: string, opts: LoadBaselineOptions = {}): Promise<Baselines> {
  return opts.ref === undefined ? loadFromWorkingTree(root) : loadFromRef(root, opts.ref);
}

function loadFromWorkingTree(root: string): Baselines {
  const dir = baselinesDir(root);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { source: "working tree", files: [] };
  }
  const files = names
    .filter((n) => n.endsWith(".json") && !n.startsWith("."))
    .sort()
    .map((n) => {
      const full = path.join(dir, n);
      const shown = toPosixRelative(root, full);
      if (!fs.statSync(full).isFile()) throw new EngineError(`${shown} is not a file: only baseline JSON files belong in .choragen/baselines/`, shown, "bad-file");
      return parseBaseline(fs.readFileSync(full, "utf8"), shown);
    });
  return { source: "working tree", files };
}

async function loadFromRef(root: string, ref: string): Promise<Baselines> {
  if (ref.startsWith("-") || /[\s:]/.test(ref)) {
    throw new EngineError(`"${ref}" is not a valid git ref for baselines`, undefined, "ref-missing");
  }
  const resolved = await resolveRef(root, ref);
  // Paths given to ls-tree and `git show <ref>:./<path>` are relative to cwd, so this also works when
  // the project root is a sub-folder of the repository.
  const listing = await git(root, ["ls-tree", "-z", "--name-only", resolved, "--", ".choragen/baselines/"]);
  if (!listing.ok) throw new EngineError(`cannot list baselines at ${resolved}: ${listing.stderr.trim()}`, undefined, "ref-missing");
  const entries = listing.stdout
    .split("\0")
    .filter((p) => p.endsWith(".json"))
    .map((p) => p.slice(p.lastIndexOf("/") + 1))
    .filter((n) => !n.startsWith("."))
    .sort();
  if (entries.length === 0) {
    throw new EngineError(
      `no baselines committed at ${resolved}:.choragen/baselines/ — run \`choragen perf:bench --save-baseline\` on ${ref} and commit .choragen/baselines/`,
      undefined,
      "baselines-missing",
    );
  }
  const files: BaselineFile[] = [];
  for (const name of entries) {
    const spec = `${resolved}:./.choragen/baselines/${name}`;
    const shown = `${resolved}:.choragen/baselines/${name}`;
    const out = await git(root, ["show", spec]);
    // Listed but unreadable is a damaged baseline, not a missing one: never fall back to the working tree.
    if (!out.ok) throw new EngineError(`cannot read ${shown}: ${out.stderr.trim()}`, shown, "bad-file");
    files.push(parseBaseline(out.stdout, shown));
  }
  return { source: `git ${resolved}`, files };
}

/** The ref itself, else `origin/<ref>` (CI checkouts often have only the remote-tracking branch). */
async function resolveRef(root: string, ref: string): Promise<string> {
  const inRepo = await git(root, ["rev-parse", "--is-inside-work-tree"]);
  if (!inRepo.ok) {
    throw new EngineError(`cannot read baselines from git ref "${ref}": ${root} is not inside a git repository`, undefined, "ref-missing");
  }
  for (const candidate of [ref, `origin/${ref}`]) {
    const check = await git(root, ["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`]);
    if (check.ok) return candidate;
  }
  throw new EngineError(
    `git ref "${ref}" not found (benchmarks.baselineBranch), nor origin/${ref}; fetch it first, e.g. \`git fetch origin ${ref}\``,
    undefined,
    "ref-missing",
  );
}
