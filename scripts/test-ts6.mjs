// Runs the transformer and reliability suites against the other supported line: TypeScript 6 with ts-patch 4.
// The pair is the pinned devDependencies `typescript6` (npm:typescript@6.0.3) and `ts-patch4` (npm:ts-patch@4.0.1),
// installed by `npm ci`; nothing is fetched here. Under its alias ts-patch 4 would `require("typescript")` and get
// the root's 5.9, so both folders are copied into .cache/ts6/node_modules/{typescript,ts-patch} (ignored by git),
// where that require finds TypeScript 6. ts-patch 4's own dependencies resolve from the root node_modules, as they
// do for the alias.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runNodeTest } from "./node-test.mjs";
import { ROOT, TEST_DIST, testFiles } from "./run-tests.mjs";

const prefix = join(ROOT, ".cache", "ts6");
const pair = [
  { name: "typescript", alias: "typescript6", major: 6 },
  { name: "ts-patch", alias: "ts-patch4", major: 4 },
];

function versionOf(folder) {
  const file = join(folder, "package.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : undefined;
}

const marker = join(prefix, "package.json");
const wanted = pair.map(({ name, alias, major }) => {
  const source = join(ROOT, "node_modules", alias);
  const version = versionOf(source);
  if (version === undefined) {
    console.error(`test:ts6: node_modules/${alias} is missing: it is a devDependency, run npm ci`);
    process.exit(2);
  }
  if (Number(version.split(".")[0]) !== major) {
    console.error(`test:ts6: node_modules/${alias} is ${name} ${version}, not ${major}.x`);
    process.exit(2);
  }
  return { name, alias, source, version };
});
const layout = { name: "ts6-pair", private: true, copiedFrom: Object.fromEntries(wanted.map((w) => [`node_modules/${w.alias}`, w.version])) };
const current = existsSync(marker) ? readFileSync(marker, "utf8") : "";
if (current !== JSON.stringify(layout)) {
  // Anything else in .cache/ts6 (an older layout installed from the registry) is replaced, not mixed in.
  rmSync(prefix, { recursive: true, force: true });
  for (const { name, alias, source, version } of wanted) {
    console.log(`copying node_modules/${alias} (${name} ${version}) to .cache/ts6/node_modules/${name}`);
    cpSync(source, join(prefix, "node_modules", name), { recursive: true });
  }
  writeFileSync(marker, JSON.stringify(layout));
}

const env = {
  ...process.env,
  CHORAGEN_TEST_TS: join(prefix, "node_modules", "typescript"),
  CHORAGEN_TEST_TSPC: join(prefix, "node_modules", "ts-patch", "bin", "tspc.js"),
};
// What the suites will load, asked the way they ask: from the copied ts-patch's folder.
const loaded = execFileSync(process.execPath, ["-p", `require(require.resolve("typescript", { paths: [${JSON.stringify(join(prefix, "node_modules", "ts-patch"))}] })).version`], { encoding: "utf8" }).trim();
if (Number(loaded.split(".")[0]) !== 6) {
  console.error(`test:ts6: ts-patch in .cache/ts6 resolves TypeScript ${loaded}, not 6.x`);
  process.exit(2);
}
console.log(`transformer suite on TypeScript ${loaded} + ts-patch ${versionOf(join(prefix, "node_modules", "ts-patch"))}`);
// The compiler-facing suites only: the CLI's own reliability tests do not depend on the TypeScript line.
const suites = [
  ...testFiles(join(TEST_DIST, "transformer")),
  ...["corpus", "fuzz", "misuse", "reach", "real-world"].map((name) => join(TEST_DIST, "reliability", `${name}.test.js`)),
];
process.exit(await runNodeTest(["--test", "--test-concurrency=2", ...suites], { env }));
