import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/project";
import { HostProject } from "./support";

/**
 * The plugin objects are written against the hosts' interfaces, not through unplugin (transformer/hosts/rollup-plugin.ts,
 * esbuild-plugin.ts): a `vite.config.ts`, `rollup.config.ts` or esbuild script written in TypeScript must accept them
 * as the host's own plugin type. Checked by the real tsc against the real, pinned hosts' declarations.
 */
test("perf() type-checks as Vite's, Rollup's, Rolldown's and esbuild's plugin type (tsc, nodenext)", async () => {
  const project = new HostProject("plugin-types");
  try {
    fs.symlinkSync(fs.realpathSync(path.join(REPO_ROOT, "node_modules", "@types")), path.join(project.dir, "node_modules", "@types"), "dir");
    project.write("check.ts", `import type { UserConfig } from "vite";
import perf from "@choragen/perf/vite";
import type { Plugin as RollupPlugin } from "rollup";
import perfRollup from "@choragen/perf/rollup";
import type { RolldownPlugin } from "rolldown";
import perfRolldown from "@choragen/perf/rolldown";
import type { Plugin as EsbuildPlugin } from "esbuild";
import perfEsbuild from "@choragen/perf/esbuild";

export const config: UserConfig = { plugins: [perf(), perf({ mode: "strip", include: ["src/**/*.ts"], exclude: /skip/ })] };
export const rollup: RollupPlugin = perfRollup({ config: ".choragen/performance.yaml" });
export const rolldown: RolldownPlugin = perfRolldown();
export const esbuild: EsbuildPlugin = perfEsbuild({ mode: "instrument" });
// @ts-expect-error: a mode that does not exist is a type error, not a run-time surprise
perf({ mode: "production" });
`);
    project.write("tsconfig.json", JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: ["node"] }, files: ["check.ts"] }));
    const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    const run = await project.node([tsc, "-p", "."]);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  } finally {
    project.remove();
  }
});
