import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The package version, read from package.json beside dist/ so a release never prints a stale copy. */
export function packageVersion(): string {
  // Compiled to dist/cli/version.js: the package root is two levels up.
  const file = join(__dirname, "..", "..", "package.json");
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (typeof parsed === "object" && parsed !== null && "version" in parsed && typeof parsed.version === "string") {
      return parsed.version;
    }
  } catch {
    // Fall through: a broken install must still be able to print help.
  }
  return "unknown";
}
