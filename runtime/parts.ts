import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { judgePercentiles, mergeReports } from "./report";
import { MAX_STORED_VIOLATIONS } from "./state";
import type { ContractSummary, PerformanceReport, PerformanceViolation } from "./types";

/**
 * Reads what every realm of a run left in `<report>.parts/` (runtime/journal.ts writes it; the preload
 * the CLI installs adds one `.proc.json` per Node.js process and thread that started) and merges it
 * into one report. A torn last line (a process killed while writing it) is skipped; everything before it
 * counts.
 */
export interface StartedProcess {
  readonly pid: number;
  readonly thread: number;
  /** The process's command line (argv), for saying which processes ran. */
  readonly argv: readonly string[];
}

export interface CollectedParts {
  /** Undefined when no realm loaded the runtime. */
  readonly report: PerformanceReport | undefined;
  /** Realms (processes, threads, sandboxes) that loaded the runtime. */
  readonly realms: number;
  /** Node.js processes and threads that started (seen only when the preload was installed). */
  readonly started: readonly StartedProcess[];
}

interface Snapshot {
  readonly lines: number;
  readonly dropped: number;
  readonly contracts: readonly ContractSummary[];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asSnapshot(value: unknown): Snapshot | undefined {
  if (!isRecord(value) || typeof value.lines !== "number" || !Array.isArray(value.contracts)) return undefined;
  return { lines: value.lines, dropped: typeof value.dropped === "number" ? value.dropped : 0, contracts: value.contracts as ContractSummary[] };
}

/** One realm's report: its last snapshot, plus what its journal recorded after it. */
function readRealm(journalText: string, snapshot: Snapshot | undefined): PerformanceReport | undefined {
  const lines = journalText.split("\n");
  let header: Record<string, unknown> | undefined;
  const armed = new Map<string, ContractSummary>();
  let violations: PerformanceViolation[] = [];
  let counts = new Map<string, ContractSummary>(
    (snapshot?.contracts ?? []).map((c) => [c.contractId, c]),
  );
  let dropped = snapshot?.dropped ?? 0;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index] as string;
    if (text === "") continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      continue; // torn by a kill mid-write
    }
    if (!isRecord(record)) continue;
    // Lines the snapshot already accounts for add nothing to its counts, but their violations are kept.
    const counted = snapshot !== undefined && index < snapshot.lines;
    switch (record.t) {
      case "realm":
        header = record;
        break;
      case "c": {
        const c = record.c as ContractSummary;
        if (isRecord(c) && typeof c.contractId === "string") {
          armed.set(c.contractId, c);
          if (!counts.has(c.contractId)) counts.set(c.contractId, c);
        }
        break;
      }
      case "v": {
        const v = record.v as PerformanceViolation;
        if (!isRecord(v) || typeof v.contractId !== "string") break;
        violations.push(v);
        if (!counted) {
          const c = counts.get(v.contractId);
          if (c !== undefined) counts.set(v.contractId, { ...c, violations: c.violations + 1, worst: Math.max(c.worst, v.measured) });
        }
        break;
      }
      case "r":
        if (!counted) {
          // perf.reset(): counts and violations start again; the contracts stay armed.
          violations = [];
          dropped = 0;
          counts = new Map([...armed].map(([id, c]) => [id, c]));
        } else {
          violations = [];
        }
        break;
    }
  }
  if (header === undefined) return undefined;
  const pid = typeof header.pid === "number" ? header.pid : 0;
  const kept = violations.slice(0, MAX_STORED_VIOLATIONS);
  dropped += violations.length - kept.length;
  return {
    schemaVersion: 1,
    generatedAt: new Date().toISOString(),
    pid,
    node: typeof header.node === "string" ? header.node : "",
    pids: [pid],
    contracts: [...counts.values()],
    violations: kept,
    ...(dropped > 0 ? { droppedViolations: dropped } : {}),
  };
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function readParts(dir: string): CollectedParts {
  const names = listDir(dir).sort();
  let report: PerformanceReport | undefined;
  let realms = 0;
  const started: StartedProcess[] = [];
  for (const name of names) {
    if (name.endsWith(".proc.json")) {
      const proc = readJson(join(dir, name));
      if (isRecord(proc) && typeof proc.pid === "number") {
        started.push({ pid: proc.pid, thread: typeof proc.thread === "number" ? proc.thread : 0, argv: Array.isArray(proc.argv) ? proc.argv.map(String) : [] });
      }
      continue;
    }
    if (!name.endsWith(".jsonl")) continue;
    let text: string;
    try {
      text = readFileSync(join(dir, name), "utf8");
    } catch {
      continue;
    }
    const realm = readRealm(text, asSnapshot(readJson(join(dir, name.replace(/\.jsonl$/, ".snapshot.json")))));
    if (realm === undefined) continue;
    realms++;
    report = report === undefined ? realm : mergeReports(report, realm);
  }
  return { report: report === undefined ? undefined : judgePercentiles(report), realms, started };
}
