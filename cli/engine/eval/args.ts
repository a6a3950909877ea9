/** The evaluation scripts' numeric options (`--reps 10`): a positive number, or exit 2 with the option's name. */
export function positiveNumberOption(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    process.stderr.write(`${name} needs a positive number\n`);
    process.exit(2);
  }
  return v;
}
