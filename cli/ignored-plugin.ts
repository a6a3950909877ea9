import * as fs from "node:fs";
import * as path from "node:path";
import type { PerformanceViolation } from "../runtime/types";

const TRANSFORMER = "@choragen/perf/transformer";

/** Does the project's tsconfig.json name our transformer in `compilerOptions.plugins`? (A text test: tsconfig is JSONC.) */
function namesTransformer(root: string): boolean {
  try {
    const text = fs.readFileSync(path.join(root, "tsconfig.json"), "utf8");
    return /"plugins"\s*:/.test(text) && text.includes(`"${TRANSFORMER}"`);
  } catch {
    return false;
  }
}

/** The major version of the `typescript` the project resolves, if any. */
function typescriptMajor(root: string): number | undefined {
  try {
    const manifest = require.resolve("typescript/package.json", { paths: [root] });
    const version = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version?: unknown }).version;
    return typeof version === "string" ? Number(version.split(".")[0]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When tsconfig names the transformer but the build could not have run it, the user must hear it: otherwise
 * they believe production builds are stripped while every annotation and the runtime ship.
 * - TypeScript 7 (the Go compiler) has no transformer hook: the `plugins` entry is ignored by every build.
 * - The program ran runtime decorators (violations of origin "decorator"): it was compiled without the
 *   transformer (plain `tsc` instead of `tspc`, tsx, ts-node…), whatever tsconfig says.
 */
export function ignoredPluginWarnings(root: string, violations: readonly PerformanceViolation[] = []): string[] {
  if (!namesTransformer(root)) return [];
  const warnings: string[] = [];
  const major = typescriptMajor(root);
  if (major !== undefined && major >= 7) {
    warnings.push(
      `tsconfig.json names ${TRANSFORMER} in "plugins", but the project's TypeScript is ${major}, which runs no transformer plugins: annotations run as runtime decorators and are not stripped from production builds. Use a bundler plugin (@choragen/perf/vite, /esbuild, …) or TypeScript 6 with tspc for emit (README: Setup by toolchain)`,
    );
  }
  const fallback = violations.filter((v) => v.context.origin === "decorator");
  if (fallback.length > 0 && warnings.length === 0) {
    const first = fallback[0]!;
    warnings.push(
      `tsconfig.json names ${TRANSFORMER} in "plugins", but the program ran runtime decorators (${first.target}, ${first.file}:${first.line}): it was compiled without the transformer (tsc instead of tspc?), so a production build of it would not be stripped either`,
    );
  }
  return warnings;
}
