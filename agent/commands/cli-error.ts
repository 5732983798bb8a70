// The one error a subcommand throws for bad input: printed as one line, exit code 2 by default.
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
