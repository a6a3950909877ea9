/**
 * The documentation cannot drift. README.md, CONTRIBUTING.md and every file in docs/ are read: every shell
 * command they show must exist and be usable as written (npm scripts, choragen commands and their options,
 * files), every relative link must lead to a file and heading that exist, the listings must be the
 * transformer's golden output, and the demo output quoted must be the demo's (same benches, same closing lines).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { codeBlocks, headingAnchors, inlineCode, links, shellCommands, words, type ShellCommand } from "./readme-commands";
import { BIN, EXAMPLES, REPO, run } from "./support";

interface Doc {
  /** Relative to the repository, with forward slashes. */
  readonly name: string;
  readonly text: string;
}

function read(name: string): Doc {
  return { name, text: fs.readFileSync(path.join(REPO, name), "utf8") };
}

const README = read("README.md");
const DOCS: readonly Doc[] = [
  README,
  read("CONTRIBUTING.md"),
  ...fs.readdirSync(path.join(REPO, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => read(`docs/${f}`)),
];
const scripts = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};

interface Located extends ShellCommand {
  readonly doc: string;
}
const commands: readonly Located[] = DOCS.flatMap((d) => shellCommands(d.text).map((c) => ({ ...c, doc: d.name })));
const where = (c: Located): string => `${c.doc}:${c.line}: \`${c.text}\``;

test("the documentation is README.md, CONTRIBUTING.md and docs/, and its commands are read (a sanity check of the extraction itself)", () => {
  assert.ok(DOCS.length >= 10, DOCS.map((d) => d.name).join(", "));
  const readme = shellCommands(README.text).map((c) => c.text);
  for (const text of ["npm install", "npm run demo", "npm test"]) assert.ok(readme.includes(text), `README lacks \`${text}\`:\n${readme.join("\n")}`);
  assert.ok(shellCommands(README.text).some((c) => c.words[0] === "npx" && c.words[1] === "choragen"), "no choragen command in the README");
  assert.deepEqual(shellCommands("```bash\nA=1 npx choragen perf --quick -- node x.js # run\nnpm test && npm run lint\n```\n```text\nnpm run nope\n```\n").map((c) => c.words), [
    ["npx", "choragen", "perf", "--quick", "--", "node", "x.js"],
    ["npm", "test"],
    ["npm", "run", "lint"],
  ]);
  assert.deepEqual(inlineCode("a `npm test` and ``x ` y`` b\n```bash\n`npm run nope`\n```\n").map((c) => c.text), ["npm test", "x ` y"]);
  assert.deepEqual(links("[a](docs/a.md#x) `[b](c.md)` ![i](i.png)\n```md\n[c](d.md)\n```\n").map((l) => l.target), ["docs/a.md#x", "i.png"]);
  assert.deepEqual([...headingAnchors("# A b\n## `choragen perf` in CI\n## Side by side: `--against <ref>`\n## A b\n```\n# not\n```\n")], ["a-b", "choragen-perf-in-ci", "side-by-side---against-ref", "a-b-1"]);
});

test("the README's commands for a clone are exactly `npm install && npm run demo`, then `npm test`", () => {
  const bash = codeBlocks(README.text).filter((b) => b.lang === "bash").map((b) => b.body.trim());
  const demo = bash.indexOf("npm install && npm run demo");
  assert.ok(demo >= 0, "a bash block holding exactly `npm install && npm run demo`");
  assert.equal(bash[demo + 1], "npm test", "the next bash block is exactly `npm test`");
});

/** `npm test`, `npm run x`: the script must exist. `npm install` and `npm ci` are npm's own. */
function assertNpmScript(w: readonly string[], at: string): void {
  const [, verb, name] = w;
  if (verb === "install" || verb === "ci") return;
  const script = verb === "run" ? name : verb;
  assert.ok(script !== undefined && script in scripts, `${at}: no "${String(script)}" script in package.json (scripts: ${Object.keys(scripts).join(", ")})`);
}

test("every `npm` command shown, in a code block or inline, names a script that exists in package.json", () => {
  const npm = commands.filter((c) => c.words[0] === "npm");
  assert.ok(npm.length > 0);
  for (const c of npm) assertNpmScript(c.words, where(c));
  let inline = 0;
  for (const d of DOCS) {
    for (const span of inlineCode(d.text).filter((s) => /^npm (test|run) ?/.test(s.text))) {
      inline++;
      assertNpmScript(words(span.text.split(/ -- | && /)[0] ?? ""), `${d.name}:${span.line}: \`${span.text}\``);
    }
  }
  assert.ok(inline >= 5, `expected inline npm commands (npm run bench:probes, …), found ${inline}`);
});

const helpCache = new Map<string, string>();
function help(command: string, at: string): string {
  let text = helpCache.get(command);
  if (text === undefined) {
    const result = run([BIN, command, "--help"]);
    assert.equal(result.status, 0, `${at}: choragen ${command} --help must exit 0:\n${result.transcript}`);
    text = result.stdout;
    helpCache.set(command, text);
  }
  return text;
}

/** `choragen <command> --a --b -- <program>`: a real command, whose --help lists each option before `--`. */
function assertChoragen(args: readonly string[], at: string): void {
  const command = args[0];
  assert.ok(command !== undefined && /^perf(:bench|:check)?$/.test(command), `${at}: a choragen command (perf, perf:bench, perf:check) after choragen`);
  const text = help(command, at);
  const own = args.slice(1, args.includes("--") ? args.indexOf("--") : undefined);
  for (const option of own.filter((a) => /^--[a-z]/.test(a))) {
    const name = option.split("=")[0] ?? option;
    assert.ok(new RegExp(`(^|[\\s\\[])${name}\\b`).test(text), `${at}: \`choragen ${command} --help\` does not list ${name}`);
  }
}

test("every `choragen` command shown (code blocks, inline code, CI recipes) is a real command, with options it has", () => {
  const choragen = commands.filter((c) => c.words.includes("choragen"));
  assert.ok(choragen.length >= 4, `expected several choragen commands, found ${choragen.length}`);
  for (const c of choragen) assertChoragen(c.words.slice(c.words.indexOf("choragen") + 1), where(c));
  let inline = 0;
  for (const d of DOCS) {
    for (const span of inlineCode(d.text)) {
      const m = /^(?:npx )?choragen (perf\S*.*)$/.exec(span.text);
      if (m === null) continue;
      inline++;
      assertChoragen(words(m[1] ?? ""), `${d.name}:${span.line}: \`${span.text}\``);
    }
  }
  assert.ok(inline >= 5, `expected inline choragen commands, found ${inline}`);
  // The CI recipes are YAML, not bash: their `run:` lines are checked the same way.
  let recipes = 0;
  for (const d of DOCS) {
    for (const block of codeBlocks(d.text).filter((b) => b.lang === "yaml")) {
      for (const m of block.body.matchAll(/run: npx choragen (\S+)([^\n]*)/g)) {
        recipes++;
        assertChoragen([m[1] ?? "", ...words(m[2] ?? "")], `${d.name}:${block.line}: yaml recipe \`${m[0]}\``);
      }
    }
  }
  assert.ok(recipes >= 4, `expected the CI recipes' choragen steps, found ${recipes}`);
});

/** A file a command names: build outputs (dist/…js, examples/dist/…js) are checked through their TypeScript source. */
function sourceOf(script: string): string {
  if (script.startsWith("examples/dist/")) return path.join(EXAMPLES, "src", path.basename(script).replace(/\.js$/, ".ts"));
  if (script.startsWith("dist/") && script.endsWith(".js")) return path.join(REPO, script.slice("dist/".length).replace(/\.js$/, ".ts"));
  return path.join(REPO, script);
}

test("every other command shown uses a known program on files that exist", () => {
  const known = new Set(["npm", "npx", "node", "grep"]);
  for (const c of commands) {
    const program = c.words[0] ?? "";
    assert.ok(known.has(program), `${where(c)}: a program this test does not know; check it by hand and add it here`);
    if (program === "npx") {
      assert.ok(["choragen", "tspc", "tsc"].includes(c.words[1] ?? ""), `${where(c)}: npx runs choragen, tspc or tsc here; teach this test about another`);
      if (c.words[1] === "tspc" || c.words[1] === "tsc") {
        const project = c.words[c.words.indexOf("-p") + 1];
        assert.ok(c.words.includes("-p") && project !== undefined && fs.existsSync(path.join(REPO, project)), `${where(c)}: its -p project must exist`);
      }
    }
    if (program === "node") {
      const script = c.words.slice(1).find((w) => !w.startsWith("-")) ?? "";
      const source = sourceOf(script);
      assert.ok(fs.existsSync(source), `${where(c)}: ${script} (source ${path.relative(REPO, source)}) does not exist`);
      // Folders and files handed to our own scripts must exist too (their source, for build outputs).
      if (script.startsWith("scripts/")) {
        for (const arg of c.words.slice(c.words.indexOf(script) + 1).filter((w) => !w.startsWith("-"))) {
          const target = arg.startsWith("dist/") ? path.join(REPO, arg.slice("dist/".length)) : path.join(REPO, arg);
          assert.ok(fs.existsSync(target) || fs.existsSync(sourceOf(arg)), `${where(c)}: ${arg} does not exist`);
        }
      }
    }
  }
});

/** The heading a line is under (the nearest one above it), for rules that depend on the section. */
function headingAt(markdown: string, line: number): string {
  const above = markdown.split("\n").slice(0, line).reverse();
  return (above.find((l) => /^#{1,6}\s/.test(l)) ?? "").replace(/^#+\s*/, "");
}

/** Every file of the repository matching a path with `*` (one level) and `**` (any depth) wildcards. */
function globExists(pattern: string): boolean {
  const parts = pattern.split("/").filter((p) => p !== "");
  const walk = (dir: string, i: number): boolean => {
    if (i === parts.length) return true;
    const part = parts[i] ?? "";
    if (part === "**") return walk(dir, i + 1) || fs.readdirSync(dir, { withFileTypes: true }).some((e) => e.isDirectory() && walk(path.join(dir, e.name), i));
    if (!part.includes("*")) return fs.existsSync(path.join(dir, part)) && walk(path.join(dir, part), i + 1);
    const re = new RegExp(`^${part.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
    return fs.existsSync(dir) && fs.statSync(dir).isDirectory() && fs.readdirSync(dir).some((name) => re.test(name) && walk(path.join(dir, name), i + 1));
  };
  return walk(REPO, 0);
}

test("every repository path shown in inline code exists (outside sections that plan what is not built yet)", () => {
  // Folders of the repository's own sources; .choragen/results, build outputs and the like appear at run time.
  const ours = /^(test|docs|scripts|runtime|transformer|cli|config|bench|bench-self|schema|bin|examples(?!\/dist\/))\/[^\s`<>]*$/;
  let checked = 0;
  for (const d of DOCS) {
    for (const span of inlineCode(d.text)) {
      if (!ours.test(span.text) || /not built yet/i.test(headingAt(d.text, span.line))) continue;
      // X.ts, X.instrument.js: a pattern, not a file.
      if (/(^|\/)X\./.test(span.text)) continue;
      checked++;
      assert.ok(globExists(span.text), `${d.name}:${span.line}: \`${span.text}\` does not exist`);
    }
  }
  assert.ok(checked >= 20, `expected many repository paths in inline code, checked ${checked}`);
});

test("every relative link leads to a file that exists, and to a heading that exists", () => {
  const anchors = new Map<string, Set<string>>();
  const anchorsOf = (file: string): Set<string> => {
    let set = anchors.get(file);
    if (set === undefined) {
      set = headingAnchors(fs.readFileSync(file, "utf8"));
      anchors.set(file, set);
    }
    return set;
  };
  let checked = 0;
  for (const d of DOCS) {
    for (const link of links(d.text)) {
      if (/^[a-z]+:/i.test(link.target)) continue;
      checked++;
      const at = `${d.name}:${link.line}: (${link.target})`;
      const [file = "", anchor] = link.target.split("#");
      const resolved = file === "" ? path.join(REPO, d.name) : path.resolve(path.dirname(path.join(REPO, d.name)), decodeURIComponent(file));
      assert.ok(resolved.startsWith(REPO + path.sep) || resolved === REPO, `${at}: leads outside the repository`);
      assert.ok(fs.existsSync(resolved), `${at}: ${path.relative(REPO, resolved)} does not exist`);
      if (anchor !== undefined) {
        assert.ok(resolved.endsWith(".md"), `${at}: an anchor into a file that is not markdown`);
        assert.ok(anchorsOf(resolved).has(anchor), `${at}: ${path.relative(REPO, resolved)} has no heading #${anchor} (it has: ${[...anchorsOf(resolved)].join(", ")})`);
      }
    }
  }
  assert.ok(checked >= 50, `expected many relative links, checked ${checked}`);
});

test("the demo output quoted in docs/example.md is the demo's: the same benches and the same verdict lines", () => {
  const holders = DOCS.filter((d) => d.text.includes("<!-- demo-output -->"));
  assert.deepEqual(holders.map((d) => d.name), ["docs/example.md"], "one <!-- demo-output --> block, in docs/example.md");
  const doc = holders[0]?.text ?? "";
  const block = codeBlocks(doc.slice(doc.indexOf("<!-- demo-output -->")))[0];
  assert.ok(block !== undefined && block.lang === "text");
  const shown = [...block.body.matchAll(/^ {2}[✓✗] (.+?)\s{2,}\S/gm)].map((m) => m[1]).sort();
  const declared: string[] = [];
  for (const file of fs.readdirSync(path.join(EXAMPLES, "benchmarks")).filter((f) => f.endsWith(".bench.ts"))) {
    const source = fs.readFileSync(path.join(EXAMPLES, "benchmarks", file), "utf8");
    for (const m of source.matchAll(/\bbench\(\s*"([^"]+)"/g)) declared.push(m[1] ?? "");
  }
  assert.ok(declared.length >= 5, `benches declared in examples/benchmarks: ${declared.join(", ")}`);
  const benchRows = shown.filter((name) => name !== undefined && declared.includes(name));
  assert.deepEqual(benchRows, [...declared].sort(), "every declared bench appears once in the quoted demo output");
  const demoScript = fs.readFileSync(path.join(EXAMPLES, "demo.mjs"), "utf8") + fs.readFileSync(path.join(EXAMPLES, "demo-verdict.mjs"), "utf8");
  for (const line of ["── 1. compile examples/ with tspc", "── 2. choragen perf", "── 3. what the demo expected", "which is what the demo expects: it caught the deliberate breach"]) {
    assert.ok(block.body.includes(line), `the quoted demo output lacks "${line}"`);
    assert.ok(demoScript.includes(line.replace(/^── /, "")), `the demo no longer prints "${line}"`);
  }
});

const GOLDEN = path.join(REPO, "test", "fixtures", "transformer", "golden");
function assertShowsGolden(doc: Doc, files: readonly string[]): void {
  const bodies = new Set(codeBlocks(doc.text).filter((b) => b.lang === "ts" || b.lang === "js").map((b) => b.body.trim()));
  for (const file of files) {
    assert.ok(bodies.has(fs.readFileSync(path.join(GOLDEN, file), "utf8").trim()), `${doc.name} shows ${file} as it is in ${path.relative(REPO, GOLDEN)}`);
  }
}

test("the README's before/after code is the transformer's golden output, byte for byte", () => {
  assertShowsGolden(README, ["minimal.ts", "minimal.instrument.js"]);
});

test("the listings in docs/transformer-output.md are the transformer's golden output, byte for byte", () => {
  const doc = DOCS.find((d) => d.name === "docs/transformer-output.md") ?? assert.fail("docs/transformer-output.md");
  const files = ["method", "async", "memory-percentile", "fused", "commonjs-import", "wrappers"].flatMap((n) => [`${n}.ts`, `${n}.instrument.js`]).concat("timers.ts");
  assertShowsGolden(doc, files);
});
