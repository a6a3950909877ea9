// Runs the compiled test files with node's test runner, by tier.
//
//   node scripts/run-tests.mjs [--tier full|fast] [--concurrency N] [file-or-folder ...]
//
// full: every test file. fast: those not listed in scripts/test-tiers.mjs, run with a guard that fails any
// test starting a child process (scripts/in-process-only.cjs), so the tier stays what its name says.
//
// Why not `node --test dist/test/`: given a folder, Node 20 runs every .js file under a folder named
// `test`, so helper modules (support.js, helpers.js, …) were loaded as test files of their own and
// counted as passing tests. Only `*.test.js` files are tests here.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { runNodeTest } from "./node-test.mjs";
import { END_TO_END } from "./test-tiers.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const TEST_DIST = join(ROOT, "dist", "test");

/** Every `*.test.js` file under `folder`, sorted; compiled fixtures are not tests of ours. */
export function testFiles(folder) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "fixtures" && entry.name !== "node_modules") walk(path);
      } else if (entry.name.endsWith(".test.js")) found.push(path);
    }
  };
  walk(folder);
  return found.sort();
}

/** The test file's name as the tier list writes it: relative to dist/test, with forward slashes. */
export function tierName(file) {
  return relative(TEST_DIST, file).split(sep).join("/");
}

function usage(message) {
  console.error(`run-tests: ${message}\nusage: node scripts/run-tests.mjs [--tier full|fast] [--concurrency N] [file-or-folder ...]`);
  process.exit(2);
}

function main(argv) {
  let tier = "full";
  let concurrency = "2";
  const targets = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--tier") tier = argv[++i] ?? "";
    else if (arg === "--concurrency") concurrency = argv[++i] ?? "";
    else if (arg.startsWith("-")) usage(`unknown option ${arg}`);
    else targets.push(resolve(arg));
  }
  if (tier !== "full" && tier !== "fast") usage(`--tier is full or fast, not "${tier}"`);
  if (!/^[1-9][0-9]*$/.test(concurrency)) usage(`--concurrency is a positive whole number, not "${concurrency}"`);
  if (!existsSync(TEST_DIST)) usage(`${relative(ROOT, TEST_DIST)} does not exist: run npm run build first`);

  const all = testFiles(TEST_DIST);
  const known = new Set(all.map(tierName));
  // A stale entry would silently move a test between tiers: the list must name real test files.
  const stale = Object.keys(END_TO_END).filter((name) => !known.has(name));
  if (stale.length > 0) usage(`scripts/test-tiers.mjs names test files that do not exist in dist/test: ${stale.join(", ")}`);

  let files = all;
  if (targets.length > 0) {
    files = [];
    for (const target of targets) {
      if (!existsSync(target)) usage(`${target} does not exist`);
      if (statSync(target).isDirectory()) files.push(...testFiles(target));
      else if (target.endsWith(".test.js")) files.push(target);
      else usage(`${relative(ROOT, target)} is not a test file (*.test.js)`);
    }
  }
  if (tier === "fast") files = files.filter((file) => !(tierName(file) in END_TO_END));
  if (files.length === 0) usage(`no test files selected (tier ${tier}${targets.length > 0 ? `, ${targets.join(" ")}` : ""})`);

  console.log(`${files.length} test files (tier ${tier}, concurrency ${concurrency})`);
  const guard = tier === "fast" ? ["--require", join(ROOT, "scripts", "in-process-only.cjs")] : [];
  runNodeTest([...guard, "--test", `--test-concurrency=${concurrency}`, ...files]).then((status) => process.exit(status));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
