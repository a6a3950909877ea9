// Runs the transformer and reliability suites against the other supported line: TypeScript 6 with ts-patch 4.
// The pair is installed once into .cache/ts6 (ignored by git), next to, not instead of, the main 5.x pair.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const prefix = join(root, ".cache", "ts6");
const wanted = { typescript: "6.0.3", "ts-patch": "4.0.1" };

function installed(name) {
  const file = join(prefix, "node_modules", name, "package.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : undefined;
}

if (Object.entries(wanted).some(([name, version]) => installed(name) !== version)) {
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, "package.json"), JSON.stringify({ name: "ts6-pair", private: true }));
  console.log(`installing typescript@${wanted.typescript} and ts-patch@${wanted["ts-patch"]} into .cache/ts6`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  execFileSync(npm, ["install", "--no-audit", "--no-fund", "--engine-strict=false", "--prefix", prefix, ...Object.entries(wanted).map(([n, v]) => `${n}@${v}`)], { stdio: "inherit" });
}

const env = {
  ...process.env,
  CHORAGEN_TEST_TS: join(prefix, "node_modules", "typescript"),
  CHORAGEN_TEST_TSPC: join(prefix, "node_modules", "ts-patch", "bin", "tspc.js"),
};
const version = execFileSync(process.execPath, ["-p", `require(${JSON.stringify(env.CHORAGEN_TEST_TS)}).version`], { encoding: "utf8" }).trim();
console.log(`transformer suite on TypeScript ${version} + ts-patch ${installed("ts-patch")}`);
// The compiler-facing suites only: the CLI's own reliability tests do not depend on the TypeScript line.
const suites = [
  join(root, "dist", "test", "transformer"),
  ...["corpus", "fuzz", "misuse", "reach", "real-world"].map((name) => join(root, "dist", "test", "reliability", `${name}.test.js`)),
];
const result = spawnSync(process.execPath, ["--test", "--test-concurrency=2", ...suites], { stdio: "inherit", env });
process.exit(result.status ?? 1);
