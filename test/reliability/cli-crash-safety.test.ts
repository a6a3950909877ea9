/**
 * Crash safety of `choragen perf:bench --save-baseline`: the real bin, on a project that already has
 * valid baselines, is SIGKILLed again and again at seeded random moments, half of them spread over
 * the whole run and half aimed at the write phase (right after the results file is replaced, when
 * the baselines are written next). After every kill each baseline must be complete and valid, and
 * either the old one or the new one (nothing lost, nothing half-merged); temporary files may be left
 * only under names the loader never reads. Replay a sequence with CHORAGEN_CRASH_SEED=<seed>; the loop
 * stops at CHORAGEN_CRASH_KILLS kills (25) or after CHORAGEN_CRASH_SECONDS (55), but not before 10 kills.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
  Sandbox,
  isAlive,
  pidRecordingBench,
  recordedPids,
  seedFrom,
  seededRandom,
  sleep,
  transcript,
  type CliRun,
} from "./cli-harness";

const sandboxes: Sandbox[] = [];
after(() => sandboxes.forEach((s) => s.remove()));

/** Kills wanted, and the time budget of the loop: it stops at whichever comes first, but not before MIN_KILLS. */
const KILLS = Number(process.env["CHORAGEN_CRASH_KILLS"] ?? 25);
const SECONDS = Number(process.env["CHORAGEN_CRASH_SECONDS"] ?? 55);
const MIN_KILLS = Math.min(KILLS, 10);
const BENCH_FILES = ["benchmarks/a.bench.ts", "benchmarks/b.bench.ts"] as const;
const baselineName = (benchFile: string): string => `${benchFile.replace(/\//g, "__")}.json`;
/** A writer's temporary file (atomic.ts): dot-prefixed, so the baseline loader never reads it. */
const TEMP_FILE = /^\..+\.tmp$/;

interface Finished {
  readonly run: CliRun;
  readonly ms: number;
}

function startCli(sandbox: Sandbox, args: readonly string[]): { child: ReturnType<Sandbox["start"]>; done: Promise<Finished> } {
  const started = Date.now();
  const child = sandbox.start(args);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const done = new Promise<Finished>((resolve) => {
    child.on("close", (code, signal) => resolve({ run: { code, signal, stdout, stderr }, ms: Date.now() - started }));
  });
  return { child, done };
}

/** A save that ran to the end. Its verdict (0, or 1 on a regression against the previous save) is not this test's business. */
function finishedSaving(run: CliRun): boolean {
  return (run.code === 0 || run.code === 1) && /saved \d+ baseline files? to \.choragen\/baselines\//.test(run.stderr);
}

interface BaselineState {
  /** createdAt of each baseline file, by file name. */
  readonly createdAt: ReadonlyMap<string, string>;
  /** Temp files left in the baselines folder. */
  readonly temps: readonly string[];
}

/**
 * Every baseline file complete and valid (checked here, independently of the product's validator):
 * the expected set of files, each with schemaVersion 1, its bench file, every bench measured.
 */
function checkBaselines(sandbox: Sandbox, expectedIds: ReadonlyMap<string, readonly string[]>, context: string): BaselineState {
  const dir = sandbox.path(".choragen/baselines");
  const names = fs.readdirSync(dir).sort();
  const temps = names.filter((n) => TEMP_FILE.test(n));
  const others = names.filter((n) => !TEMP_FILE.test(n));
  assert.deepEqual(others, [...expectedIds.keys()].map(baselineName).sort(), `the baseline files (temps aside)\n${context}`);
  const createdAt = new Map<string, string>();
  for (const [benchFile, ids] of expectedIds) {
    const name = baselineName(benchFile);
    const text = fs.readFileSync(path.join(dir, name), "utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      assert.fail(`${name} is not valid JSON after the kill (${(error as Error).message}): ${text.length} bytes\n${context}`);
    }
    const b = parsed as { schemaVersion?: unknown; file?: unknown; createdAt?: unknown; machine?: unknown; results?: unknown };
    assert.equal(b.schemaVersion, 1, `${name}: schemaVersion\n${context}`);
    assert.equal(b.file, benchFile, `${name}: file\n${context}`);
    assert.equal(typeof b.createdAt, "string", `${name}: createdAt\n${context}`);
    assert.equal(typeof b.machine, "object", `${name}: machine\n${context}`);
    assert.ok(Array.isArray(b.results), `${name}: results\n${context}`);
    const results = b.results as { id?: unknown; stats?: { min?: unknown; p50?: unknown; sampleSet?: unknown } }[];
    assert.deepEqual(results.map((r) => r.id), ids, `${name}: every bench present\n${context}`);
    for (const r of results) {
      assert.ok(typeof r.stats?.min === "number" && typeof r.stats.p50 === "number", `${name}: ${String(r.id)} has stats\n${context}`);
      const set = r.stats.sampleSet;
      assert.ok(Array.isArray(set) && set.length > 0 && set.every((x) => typeof x === "number"), `${name}: ${String(r.id)} has samples\n${context}`);
    }
    createdAt.set(name, b.createdAt as string);
  }
  return { createdAt, temps };
}

function latestCreatedAt(sandbox: Sandbox): string {
  const text = fs.readFileSync(sandbox.path(".choragen/results/latest.json"), "utf8");
  return (JSON.parse(text) as { createdAt: string }).createdAt;
}

/** Waits for bench processes the killed CLI left behind to end on their own; kills and reports any that do not. */
async function orphansEnd(pidDir: string, withinMs: number): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  let alive = recordedPids(pidDir).filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(50);
    alive = alive.filter(isAlive);
  }
  for (const pid of alive) process.kill(pid, "SIGKILL");
  return alive;
}

describe("SIGKILL during perf:bench --save-baseline", () => {
  it(`never leaves a partial, invalid or lost baseline (${KILLS} kills or ${SECONDS} s)`, async (t) => {
    const sandbox = new Sandbox({
      ".choragen/performance.yaml": "benchmarks:\n  timeoutMs: 30000\nthresholds:\n  minScore: 0\n",
    });
    sandboxes.push(sandbox);
    const pidDir = (): string => path.join(sandbox.outer, "pids");
    // One small bench per file: two files, so a kill can land between the two baseline writes.
    const benches: Record<(typeof BENCH_FILES)[number], Record<string, string>> = {
      "benchmarks/a.bench.ts": { sqrt: "return Math.sqrt(Math.random());" },
      "benchmarks/b.bench.ts": { json: "return JSON.stringify({ a: 1 }).length;" },
    };
    for (const file of BENCH_FILES) sandbox.write(file, pidRecordingBench(pidDir(), benches[file]));
    const expectedIds = new Map(BENCH_FILES.map((f) => [f, Object.keys(benches[f])] as const));

    // Quick mode when the CLI accepts --quick --save-baseline (docs/cli.md says it may; the command
    // refuses it at the time of writing), else standard mode, which only takes longer.
    let saveArgs = ["perf:bench", "--quick", "--save-baseline", "--baseline-ref", "."];
    let first = await startCli(sandbox, saveArgs).done;
    if (first.run.code === 2 && /quick/.test(first.run.stderr)) {
      t.diagnostic("--quick --save-baseline is refused: killing standard-mode runs instead");
      saveArgs = ["perf:bench", "--save-baseline", "--baseline-ref", "."];
      first = await startCli(sandbox, saveArgs).done;
    }
    assert.equal(first.run.code, 0, transcript(first.run)); // nothing to compare with yet: a pass
    checkBaselines(sandbox, expectedIds, "after the first, unkilled save");
    // The second save is the one whose length the kills are spread over (the compile cache is warm, as in the loop).
    const timed = await startCli(sandbox, saveArgs).done;
    assert.ok(finishedSaving(timed.run), transcript(timed.run));
    const runMs = timed.ms;

    const seed = seedFrom("CHORAGEN_CRASH_SEED");
    t.diagnostic(`kill delays from seed ${seed} (replay with CHORAGEN_CRASH_SEED=${seed}); an unkilled save takes ${runMs} ms`);
    const random = seededRandom(seed);
    const phases = { measuring: 0, "results written, no baseline yet": 0, "some baselines written": 0, "all baselines written": 0 };
    let kills = 0;
    let completed = 0;
    const tempsSeen = new Set<string>();
    let runsWithOrphans = 0;
    let strayReports = 0;
    const stopAt = Date.now() + SECONDS * 1000;
    for (let attempt = 0; kills < KILLS && attempt < KILLS * 3 && (kills < MIN_KILLS || Date.now() < stopAt); attempt++) {
      const aimed = attempt % 2 === 1;
      // Drawn before the run starts, so a seed always gives the same delays.
      // Aimed: the write phase (baselines, judging, the report) lasts a few milliseconds after latest.json.
      const delay = aimed ? random() * 5 : random() * runMs * 0.95;
      const before = checkBaselines(sandbox, expectedIds, "before the run");
      const previousLatest = latestCreatedAt(sandbox);
      fs.rmSync(pidDir(), { recursive: true, force: true });

      const { child, done } = startCli(sandbox, saveArgs);
      let watcher: fs.FSWatcher | undefined;
      let timer: NodeJS.Timeout | undefined;
      const kill = (): void => void child.kill("SIGKILL");
      if (aimed) {
        watcher = fs.watch(sandbox.path(".choragen/results"), (_event, name) => {
          if (name === "latest.json" && timer === undefined) timer = setTimeout(kill, delay);
        });
      } else {
        timer = setTimeout(kill, delay);
      }
      const finished = await done;
      watcher?.close();
      if (timer !== undefined) clearTimeout(timer);

      if (finished.run.signal !== "SIGKILL") {
        // The run ended before its kill: it must have saved.
        assert.ok(finishedSaving(finished.run), transcript(finished.run));
        completed++;
        continue;
      }
      kills++;
      const context = `kill ${kills} (attempt ${attempt}, ${aimed ? "aimed at the write phase" : "spread"}, delay ${delay.toFixed(1)} ms, seed ${seed})`;
      const state = checkBaselines(sandbox, expectedIds, context);
      const latest = latestCreatedAt(sandbox); // always complete JSON: written atomically too
      // Nothing lost or mixed: each file is the previous baseline or the one of this run.
      for (const [name, createdAt] of state.createdAt) {
        assert.ok(createdAt === before.createdAt.get(name) || createdAt === latest, `${name}: createdAt ${createdAt} is neither the old baseline's nor this run's\n${context}`);
      }
      const fresh = [...state.createdAt.values()].filter((c) => c === latest && latest !== previousLatest).length;
      if (latest === previousLatest) phases.measuring++;
      else if (fresh === 0) phases["results written, no baseline yet"]++;
      else if (fresh < state.createdAt.size) phases["some baselines written"]++;
      else phases["all baselines written"]++;
      state.temps.forEach((name) => tempsSeen.add(name));

      // A bench process that lost its CLI stops when its IPC channel closes, at its next turn of the event
      // loop (a bench that never yields is the SIGTERM test's case below). Killed here if it does not.
      if ((await orphansEnd(pidDir(), 5_000)).length > 0) runsWithOrphans++;
      strayReports += fs.readdirSync(sandbox.tmp).length;
      fs.rmSync(sandbox.tmp, { recursive: true, force: true });
      fs.mkdirSync(sandbox.tmp);
    }
    assert.ok(kills >= MIN_KILLS, `only ${kills} runs were killed before they finished (${completed} finished first)`);
    assert.equal(runsWithOrphans, 0, `${runsWithOrphans} killed runs left a bench process running 5 s after the CLI was gone`);

    // Leftover temp files, aged past the writer's grace period, plus a forged one: never read as
    // baselines, and swept by the next save.
    const forged = sandbox.write(".choragen/baselines/.benchmarks__a.bench.ts.json.99999.deadbeef.tmp", '{"schemaVersion":1,"results":[');
    const old = new Date(Date.now() - 5 * 60_000);
    for (const name of fs.readdirSync(sandbox.path(".choragen/baselines"))) {
      if (TEMP_FILE.test(name)) fs.utimesSync(sandbox.path(`.choragen/baselines/${name}`), old, old);
    }
    const check = sandbox.run(["perf:check", "--baseline-ref", ".", "--reporter", "json"]);
    assert.notEqual(check.code, 2, transcript(check));
    const report = JSON.parse(check.stdout) as { baseline: { files: number } | null; benches: { comparison?: { verdict: string } }[] };
    assert.equal(report.baseline?.files, BENCH_FILES.length, "temp files were counted as baselines");
    assert.ok(report.benches.every((b) => b.comparison !== undefined && b.comparison.verdict !== "new"), check.stdout);
    const last = await startCli(sandbox, saveArgs).done;
    assert.ok(finishedSaving(last.run), transcript(last.run));
    assert.equal(fs.existsSync(forged), false, "a stale temp file was not swept");
    assert.deepEqual(checkBaselines(sandbox, expectedIds, "after the last save").temps, []);

    const inWritePhase = phases["results written, no baseline yet"] + phases["some baselines written"];
    t.diagnostic(
      `kills survived: ${kills} (${completed} runs finished before their kill), ${inWritePhase} of them in the write phase; by phase: ${Object.entries(phases)
        .map(([phase, n]) => `${phase} ${n}`)
        .join(", ")}; temp files left in baselines/ by kills: ${tempsSeen.size}; killed runs whose bench process outlived the CLI by 5 s: ${runsWithOrphans}; files left in TMPDIR by killed runs: ${strayReports}`,
    );
    console.log(`# cli-crash-safety: ${kills} kills survived, ${inWritePhase} in the write phase; phases ${JSON.stringify(phases)}; temps left ${tempsSeen.size}; TMPDIR leftovers ${strayReports}`);
  });

  it(
    "SIGTERM to perf:bench ends its bench process too",
    {},
    async () => {
      const sandbox = new Sandbox({ ".choragen/performance.yaml": "benchmarks:\n  timeoutMs: 60000\n" });
      sandboxes.push(sandbox);
      const pidDir = path.join(sandbox.outer, "pids");
      sandbox.write("benchmarks/hang.bench.ts", pidRecordingBench(pidDir, { spins: "for (;;) do_not_optimize(0);" }));
      const { child, done } = startCli(sandbox, ["perf:bench", "--quick"]);
      const deadline = Date.now() + 60_000;
      while (recordedPids(pidDir).length === 0 && Date.now() < deadline) await sleep(50);
      const pids = recordedPids(pidDir);
      assert.equal(pids.length, 1, "the bench never started");
      await sleep(300);
      child.kill("SIGTERM");
      await done;
      const outlived = await orphansEnd(pidDir, 5_000);
      assert.deepEqual(outlived, [], "the bench process was still running 5 s after the CLI got SIGTERM (killed by the test)");
    },
  );
});
