// What `npm run demo` makes of a `choragen perf` run: the demo is meant to catch exactly one thing,
// the deliberate breach set in .choragen/performance.yaml, so "choragen failed" is the expected
// outcome and only a run that did not show it (or could not run at all) fails the demo.

/** The contract the config sets too tight on purpose. */
export const DELIBERATE = { target: "CatalogImporter.importFile", kind: "latency", file: "examples/src/catalog/importer.ts" };

/** The failure line the deliberate violation produces on its own (it exceeds `maxViolations: 0`). */
const VIOLATION_COUNT = /^1 contract violation, more than thresholds\.maxViolations \(0\)$/;

/** Whether the config text still sets the deliberate budget (a line for it that is not commented out). */
export function deliberateBreachConfigured(configText) {
  return configText.split("\n").some((line) => line.trimStart().startsWith(`"${DELIBERATE.target}":`));
}

/**
 * @param {number | null} exitCode choragen's exit code
 * @param {any} report choragen's JSON report (`--json <file>`), or undefined when none was written
 * @param {boolean} [configured] whether .choragen/performance.yaml still sets the deliberate breach
 * @returns {{ exitCode: number, lines: string[] }} the demo's own exit code and what to print
 */
export function demoVerdict(exitCode, report, configured = true) {
  if (exitCode === 2 || report === undefined) {
    return { exitCode: 2, lines: [`choragen could not run (exit code ${exitCode}): see the message above.`] };
  }
  if (!configured) {
    // Without the deliberate breach the demo is the strict check: choragen's verdict is the demo's.
    return exitCode === 0
      ? { exitCode: 0, lines: ["choragen passed: everything within budget (the deliberate breach is no longer in .choragen/performance.yaml)."] }
      : { exitCode: 1, lines: ["choragen failed (the deliberate breach is no longer in .choragen/performance.yaml): see the failures above."] };
  }
  if (exitCode === 0) {
    return {
      exitCode: 1,
      lines: [
        `choragen passed, but .choragen/performance.yaml sets a budget for ${DELIBERATE.target} that it`,
        "cannot meet, and that breach was not reported: contracts are not armed in the program.",
      ],
    };
  }
  const breach = (report.violations ?? []).filter((v) => v.target === DELIBERATE.target && v.kind === DELIBERATE.kind);
  const broken = [
    ...(report.fileFailures ?? []).map((f) => `${f.file}: ${f.kind} failure`),
    ...(report.benches ?? []).filter((b) => b.result?.stats === undefined).map((b) => `${b.id}: did not run (${b.result?.error ?? "no measurement"})`),
    ...(report.run && report.run.exitCode !== 0 ? [`the program exited with ${report.run.signal ?? `code ${report.run.exitCode}`}`] : []),
  ];
  if (breach.length === 0 || broken.length > 0) {
    return {
      exitCode: 1,
      lines: [
        breach.length === 0 ? `the deliberate breach of ${DELIBERATE.target} was not reported.` : "choragen caught the deliberate breach, but something did not run:",
        ...broken.map((b) => `  ✗ ${b}`),
      ],
    };
  }
  const v = breach[0];
  const others = (report.failures ?? []).filter((f) => !VIOLATION_COUNT.test(f));
  const lines = [
    "choragen exited with code 1, which is what the demo expects: it caught the deliberate breach",
    `  ✗ ${v.target}  latency ${formatMeasured(v.measured, v.unit)} > ${formatMeasured(v.threshold, v.unit)}  ${v.file}:${v.line}`,
    `    its budget is set too tight on purpose in .choragen/performance.yaml ("${DELIBERATE.target}").`,
    "A CI job running choragen directly fails on it; the demo exits 0.",
  ];
  if (others.length > 0) {
    lines.push(
      "",
      "Also failing on this run (not part of the demo's script):",
      ...others.map((f) => `  ✗ ${f}`),
      "On a busy machine a timing can land over a tight budget; the report above has the numbers.",
    );
  }
  lines.push(
    "",
    "Strict, as CI runs it (exit code 1 here):",
    "  npx choragen perf -- node --enable-source-maps examples/dist/main.js",
  );
  return { exitCode: 0, lines };
}

const NS_PER = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
const BYTES_PER = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** `14617 us` → `14.6 ms`: the largest unit that keeps the number at 1 or more. */
export function formatMeasured(value, unit) {
  const scale = unit in NS_PER ? NS_PER : unit in BYTES_PER ? BYTES_PER : undefined;
  if (scale === undefined) return `${Number(value.toPrecision(3))} ${unit}`;
  const base = value * scale[unit];
  const best = Object.keys(scale).filter((u) => base >= scale[u]).pop() ?? Object.keys(scale)[0];
  return `${Number((base / scale[best]).toPrecision(3))} ${best === "us" ? "µs" : best}`;
}
