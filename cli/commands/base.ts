/**
 * What every choragen command shares: `--verbose`, and error handling that turns any failure into one
 * paragraph and an exit code. The commands only declare options and help; their actions (cli/actions/)
 * are required when they run, so `--help` loads none of the config, engine or reporters.
 */
import { Command, Option } from "clipanion";
import { formatError } from "../errors";
import type { CommandIo } from "../io";

export abstract class ChoragenCommand extends Command {
  verbose = Option.Boolean("--verbose", false, { description: "Print stack traces with errors" });

  /** The command's work; returns the exit code. Throw CliError for anything the user can fix. */
  protected abstract run(io: CommandIo): Promise<number>;

  override async execute(): Promise<number> {
    try {
      return await this.run({ cwd: process.cwd(), env: this.context.env, stdout: this.context.stdout, stderr: this.context.stderr });
    } catch (error) {
      const { text, exitCode } = formatError(error, this.verbose);
      this.context.stderr.write(`${text}\n`);
      return exitCode;
    }
  }
}
