// Annotates every method and accessor of every class of a TypeScript tree (test/reliability/annotate-classes.ts),
// as the real-world corpus test does on a temporary copy; for looking at what the test compiles. Needs a build.
//   node scripts/annotate-classes.mjs <from-dir> <to-dir> [--experimental]
// (Not in dist/test/ itself: node --test runs every file there, and a CLI without arguments would fail.)
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { annotateTree } = require(join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "test", "reliability", "annotate-classes.js"));
const [from, to, ...flags] = process.argv.slice(2);
if (!from || !to) {
  process.stderr.write("usage: node scripts/annotate-classes.mjs <from-dir> <to-dir> [--experimental]\n");
  process.exit(2);
}
const tree = annotateTree(from, to, { dialect: flags.includes("--experimental") ? "experimental" : "standard" });
process.stdout.write(`${tree.annotations.length} members annotated in ${tree.files.length} files, ${tree.skipped.length} left out\n`);
for (const s of tree.skipped) process.stdout.write(`  left out ${s.file} ${s.target}: ${s.reason}\n`);
