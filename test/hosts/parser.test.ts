import { test } from "node:test";
import * as assert from "node:assert/strict";
import { loadTypeScript } from "../../transformer/source/parser";

/** The real installed packages (typescript7 and typescript6 are npm aliases among the devDependencies). */
const real = (name: string): unknown => require(name);

test("a TypeScript 7 project: the parser comes from the typescript6 alias, not from TypeScript 7 (which has no JS API)", () => {
  const ts7 = real("typescript7") as { version: string };
  assert.match(ts7.version, /^7\./);
  const loaded = loadTypeScript((id) => (id === "typescript" ? ts7 : real(id)));
  assert.match(loaded.version, /^6\./);
  assert.equal(typeof loaded.createSourceFile, "function");
});

test("a TypeScript 5/6 project: its own typescript is used", () => {
  assert.match(loadTypeScript((id) => real(id === "typescript" ? "typescript" : "missing-on-purpose")).version, /^5\./);
});

test("no usable TypeScript: the error says what was found and what to install", () => {
  const ts7 = real("typescript7");
  assert.throws(
    () => loadTypeScript((id) => {
      if (id === "typescript") return ts7;
      throw new Error("not installed");
    }),
    /"typescript" is 7\.0\.2, which has no JavaScript parser API.*npm install -D typescript6@npm:typescript@\^6/,
  );
});
