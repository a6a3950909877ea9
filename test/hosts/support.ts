import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { REPO_ROOT } from "../support/project";

export const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "hosts");

/**
 * The violations test/fixtures/hosts/annotated/src/main.ts provokes: kind, target, file and the TypeScript line of
 * the annotation in src/service.ts (bundlers.test.ts checks that the lines are where the annotations are written).
 */
export const EXPECTED_VIOLATIONS: readonly (readonly [string, string, string, number])[] = [
  ["latency", "OrderService.fetchOrder", "src/service.ts", 16],
  ["latency", "OrderService.placeOrder", "src/service.ts", 9],
  ["latency", "parse", "src/service.ts", 29],
  ["latency", "report", "src/service.ts", 24],
  ["memory", "OrderService.fetchOrder", "src/service.ts", 15],
];

/** The real packages a host fixture builds with, linked from the repository's pinned devDependencies. */
const TOOLS = ["esbuild", "vite", "vite7", "rollup", "rolldown", "webpack", "@rspack/core", "esbuild-loader", "vitest", "jest", "ts-jest", "typescript"];

/**
 * A user's project in a temporary folder, outside this repository (so its own package.json is the root and
 * files are named relative to it): `@choragen/perf` and the bundlers resolve through node_modules links.
 */
export class HostProject {
  readonly dir: string;

  constructor(prefix: string) {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `choragen-${prefix}-`)));
    const modules = path.join(this.dir, "node_modules");
    fs.mkdirSync(path.join(modules, "@choragen"), { recursive: true });
    fs.mkdirSync(path.join(modules, "@rspack"), { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(modules, "@choragen", "perf"), "dir");
    for (const tool of TOOLS) {
      const from = path.join(REPO_ROOT, "node_modules", tool);
      if (fs.existsSync(from)) fs.symlinkSync(fs.realpathSync(from), path.join(modules, tool), "dir");
    }
    this.write("package.json", JSON.stringify({ name: "fixture", private: true, type: "module" }, null, 2));
  }

  /** Copies a fixture folder (relative to test/fixtures/hosts) into the project. */
  copy(fixture: string, to = "."): void {
    fs.cpSync(path.join(FIXTURES, fixture), path.join(this.dir, to), { recursive: true });
  }

  write(relative: string, text: string): void {
    const file = path.join(this.dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }

  read(relative: string): string {
    return fs.readFileSync(path.join(this.dir, relative), "utf8");
  }

  readBytes(relative: string): Buffer {
    return fs.readFileSync(path.join(this.dir, relative));
  }

  /** Runs a command in the project; resolves with its exit code and output (never rejects on a failure). */
  run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(command, args, { cwd: this.dir, env: { ...process.env, NODE_ENV: "", CHORAGEN_PERF_MODE: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
  }

  node(args: readonly string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return this.run(process.execPath, args, env);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
