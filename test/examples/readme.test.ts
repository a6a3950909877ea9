/**
 * README.md cannot drift: every shell command it shows must exist and be usable as written (npm
 * scripts, choragen commands and their options, files), and the demo output it quotes must be the
 * demo's (same benches, same closing lines).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { codeBlocks, shellCommands, type ShellCommand } from "./readme-commands";
import { BIN, EXAMPLES, REPO, run } from "./support";

const README = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
const scripts = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
const commands = shellCommands(README);
const where = (c: ShellCommand): string => `README.md:${c.line}: \`${c.text}\``;

test("the README reads its shell commands (a sanity check of the extraction itself)", () => {
  const texts = commands.map((c) => c.text);
  assert.ok(texts.includes("npm install"), texts.join("\n"));
  assert.ok(texts.includes("npm run demo"), texts.join("\n"));
  assert.ok(commands.some((c) => c.words[0] === "npx" && c.words[1] === "choragen"), "no choragen command found");
  assert.deepEqual(shellCommands("```bash\nA=1 npx choragen perf --quick -- node x.js # run\nnpm test && npm run lint\n```\n```text\nnpm run nope\n```\n").map((c) => c.words), [
    ["npx", "choragen", "perf", "--quick", "--", "node", "x.js"],
    ["npm", "test"],
    ["npm", "run", "lint"],
  ]);
});

test("the quick start is exactly `npm install && npm run demo`, then `npm test`", () => {
  const bash = codeBlocks(README).filter((b) => b.lang === "bash").map((b) => b.body.trim());
  const demo = bash.indexOf("npm install && npm run demo");
  assert.ok(demo >= 0, "a bash block holding exactly `npm install && npm run demo`");
  assert.equal(bash[demo + 1], "npm test", "the next bash block is exactly `npm test`");
});

test("every `npm` command in the README names a script that exists in package.json", () => {
  const npm = commands.filter((c) => c.words[0] === "npm");
  assert.ok(npm.length > 0);
  for (const c of npm) {
    const [, verb, name] = c.words;
    if (verb === "install" || verb === "ci") continue;
    const script = verb === "run" ? name : verb;
    assert.ok(script !== undefined && script in scripts, `${where(c)}: no "${String(script)}" script in package.json (scripts: ${Object.keys(scripts).join(", ")})`);
  }
});

const helpCache = new Map<string, string>();
function help(command: string): string {
  let text = helpCache.get(command);
  if (text === undefined) {
    const result = run([BIN, command, "--help"]);
    assert.equal(result.status, 0, `choragen ${command} --help must exit 0:\n${result.transcript}`);
    text = result.stdout;
    helpCache.set(command, text);
  }
  return text;
}

test("every `choragen` command in the README is a real command, with options it has", () => {
  const choragen = commands.filter((c) => c.words.includes("choragen"));
  assert.ok(choragen.length >= 4, `expected several choragen commands, found ${choragen.length}`);
  for (const c of choragen) {
    const args = c.words.slice(c.words.indexOf("choragen") + 1);
    const command = args[0];
    assert.ok(command !== undefined && !command.startsWith("-"), `${where(c)}: a command name after choragen`);
    const text = help(command);
    const own = args.slice(1, args.includes("--") ? args.indexOf("--") : undefined);
    for (const option of own.filter((a) => a.startsWith("--"))) {
      assert.ok(new RegExp(`(^|[\\s\\[])${option}\\b`).test(text), `${where(c)}: \`choragen ${command} --help\` does not list ${option}`);
    }
  }
  // The CI recipes are YAML, not bash: their `run:` lines are checked the same way.
  for (const block of codeBlocks(README).filter((b) => b.lang === "yaml")) {
    for (const m of block.body.matchAll(/run: npx choragen (\S+)([^\n]*)/g)) {
      const text = help(m[1] ?? "");
      const own = (m[2] ?? "").split(" -- ")[0] ?? "";
      for (const option of own.match(/--[a-z-]+/g) ?? []) assert.ok(text.includes(option), `yaml recipe: choragen ${m[1]} has no ${option}`);
    }
  }
});

test("every other command in the README uses a known program on files that exist", () => {
  const known = new Set(["npm", "npx", "node", "grep"]);
  for (const c of commands) {
    const program = c.words[0] ?? "";
    assert.ok(known.has(program), `${where(c)}: a program this test does not know; check it by hand and add it here`);
    if (program === "npx" && (c.words[1] === "tspc" || c.words[1] === "tsc")) {
      const project = c.words[c.words.indexOf("-p") + 1];
      assert.ok(c.words.includes("-p") && project !== undefined && fs.existsSync(path.join(REPO, project)), `${where(c)}: its -p project must exist`);
    }
    if (program === "node") {
      const script = c.words.slice(1).find((w) => !w.startsWith("-")) ?? "";
      // Build outputs of examples/ exist once compiled: their TypeScript source must exist now.
      const source = script.startsWith("examples/dist/") ? path.join(EXAMPLES, "src", path.basename(script).replace(/\.js$/, ".ts")) : path.join(REPO, script);
      assert.ok(fs.existsSync(source), `${where(c)}: ${script} (source ${path.relative(REPO, source)}) does not exist`);
    }
  }
});

test("the demo output quoted in the README is the demo's: the same benches and the same verdict lines", () => {
  const marker = README.indexOf("<!-- demo-output -->");
  assert.ok(marker >= 0, "README has a <!-- demo-output --> block");
  const block = codeBlocks(README.slice(marker))[0];
  assert.ok(block !== undefined && block.lang === "text");
  const shown = [...block.body.matchAll(/^ {2}[✓✗] (.+?)\s{2,}\S/gm)].map((m) => m[1]).sort();
  const declared: string[] = [];
  for (const file of fs.readdirSync(path.join(EXAMPLES, "benchmarks")).filter((f) => f.endsWith(".bench.ts"))) {
    const source = fs.readFileSync(path.join(EXAMPLES, "benchmarks", file), "utf8");
    for (const m of source.matchAll(/\bbench\(\s*"([^"]+)"/g)) declared.push(m[1] ?? "");
  }
  const benchRows = shown.filter((name) => name !== undefined && declared.includes(name));
  assert.deepEqual(benchRows, [...declared].sort(), "every declared bench appears once in the README's demo output");
  const demoScript = fs.readFileSync(path.join(EXAMPLES, "demo.mjs"), "utf8") + fs.readFileSync(path.join(EXAMPLES, "demo-verdict.mjs"), "utf8");
  for (const line of ["── 1. compile examples/ with tspc", "── 2. choragen perf", "── 3. what the demo expected", "which is what the demo expects: it caught the deliberate breach"]) {
    assert.ok(block.body.includes(line), `the README's demo output lacks "${line}"`);
    assert.ok(demoScript.includes(line.replace(/^── /, "")), `the demo no longer prints "${line}"`);
  }
});

test("the before/after code in the README is the transformer's golden output, byte for byte", () => {
  const golden = path.join(REPO, "test", "fixtures", "transformer", "golden");
  const bodies = new Set(codeBlocks(README).filter((b) => b.lang === "ts" || b.lang === "js").map((b) => b.body.trim()));
  const files = ["method", "async", "memory-percentile", "fused", "commonjs-import", "wrappers"].flatMap((n) => [`${n}.ts`, `${n}.instrument.js`]).concat("timers.ts");
  for (const file of files) {
    assert.ok(bodies.has(fs.readFileSync(path.join(golden, file), "utf8").trim()), `README shows ${file} as it is in ${path.relative(REPO, golden)}`);
  }
});
