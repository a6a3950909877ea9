/**
 * `choragen` entry point. Only clipanion and the command classes load here; every command requires
 * what it needs (config, engine, TypeScript, mitata) when it runs, so `--help` and `perf:check`
 * start fast.
 */
import { Builtins, Cli } from "clipanion";
import { shouldColor } from "./color";
import { BenchCommand } from "./commands/bench";
import { CheckCommand } from "./commands/check";
import { PerfCommand } from "./commands/perf";
import { EXIT_USAGE, formatError } from "./errors";
import { guardLines } from "./safe-text";
import { packageVersion } from "./version";

export function createCli(color: boolean): Cli {
  const cli = new Cli({
    binaryLabel: "choragen — performance contracts for TypeScript",
    binaryName: "choragen",
    binaryVersion: packageVersion(),
    enableColors: color,
  });
  cli.register(PerfCommand);
  cli.register(BenchCommand);
  cli.register(CheckCommand);
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  return cli;
}

export function main(argv: string[]): void {
  const env = process.env;
  const cli = createCli(shouldColor(env, process.stdout));
  const context = { env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  let command;
  try {
    command = cli.process(argv, context);
  } catch (error) {
    // Clipanion reports its own usage errors with exit 1; for us 1 means "the check failed", so a
    // mistyped flag must be 2, and it goes to stderr with the usage of the command.
    process.stderr.write(guardLines(cli.error(error, { colored: shouldColor(env, process.stderr) })));
    process.exitCode = EXIT_USAGE;
    return;
  }
  cli.run(command, context).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const { text, exitCode } = formatError(error, argv.includes("--verbose"));
      process.stderr.write(`${text}\n`);
      process.exitCode = exitCode;
    },
  );
}
