/**
 * Where the transformer's compile time goes: one `tspc` run under `node --cpu-prof`, its samples attributed to
 * this repository's compiled code (dist/transformer, dist/config, ...). Each sample counts for the innermost of
 * our functions on its stack, so time spent in TypeScript on our behalf (the checker answering a question of
 * ours, the factory building a node) lands on the function of ours that asked.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { runTspc } from "./tspc";

const DIST = path.resolve(__dirname, "..");

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileEntry {
  /** `function (dist-relative file:line)`. */
  readonly name: string;
  /** Samples for which this is the innermost function of ours on the stack. */
  readonly ms: number;
  /** The part of `ms` where it was itself the running function (the rest: what it called outside our code). */
  readonly selfMs: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Samples with any function of this repository on the stack. */
  readonly oursMs: number;
  readonly top: readonly ProfileEntry[];
}

/** Attributes a `.cpuprofile` to the functions under `dist` (this repository's build; node_modules excluded). */
export function summarizeProfile(profile: CpuProfile, dist: string = DIST, limit = 10): ProfileSummary {
  const prefixes = [pathToFileURL(dist).href + "/", dist + path.sep];
  const isOurs = (frame: CallFrame): boolean => prefixes.some((p) => frame.url.startsWith(p)) && !frame.url.includes("node_modules");
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const entries = new Map<string, { ms: number; selfMs: number }>();
  let totalMs = 0;
  let oursMs = 0;
  profile.samples.forEach((sample, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (node === undefined || !isOurs(node.callFrame)) continue;
      oursMs += ms;
      const file = node.callFrame.url.startsWith("file:") ? new URL(node.callFrame.url).pathname : node.callFrame.url;
      const name = `${node.callFrame.functionName || "(top level)"} (${path.relative(dist, file).split(path.sep).join("/")}:${node.callFrame.lineNumber + 1})`;
      const entry = entries.get(name) ?? { ms: 0, selfMs: 0 };
      entry.ms += ms;
      if (id === sample) entry.selfMs += ms;
      entries.set(name, entry);
      break;
    }
  });
  const top = [...entries].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms).slice(0, limit);
  return { totalMs, oursMs, top };
}

/** One profiled `tspc -p <tsconfig>` in `cwd`, summarized. */
export function profileTspc(cwd: string, tsconfig: string): ProfileSummary {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "choragen-cpu-prof-"));
  try {
    runTspc(cwd, tsconfig, { nodeFlags: ["--cpu-prof", "--cpu-prof-dir", dir] });
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (file === undefined) throw new Error(`node --cpu-prof wrote no profile in ${dir}`);
    return summarizeProfile(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
