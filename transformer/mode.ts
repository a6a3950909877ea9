export type TransformMode = "instrument" | "strip";

/** The option, else env CHORAGEN_PERF_MODE, else strip when NODE_ENV=production, else instrument. */
export function resolveMode(option: unknown, env: NodeJS.ProcessEnv = process.env): TransformMode {
  for (const [value, where] of [
    [option, "the plugin option \"mode\""],
    [env["CHORAGEN_PERF_MODE"], "CHORAGEN_PERF_MODE"],
  ] as const) {
    if (value === undefined || value === "") continue;
    if (value === "instrument" || value === "strip") return value;
    throw new Error(`${where} must be "instrument" or "strip"; found ${JSON.stringify(value)}`);
  }
  return env["NODE_ENV"] === "production" ? "strip" : "instrument";
}
