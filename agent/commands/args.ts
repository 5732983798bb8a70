// Shared argument parsing for subcommands: node:util parseArgs with one-line errors and --help.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError } from './cli-error.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  help: boolean;
}

/** Parses argv strictly; unknown options become a CliError naming the option. */
export function parseCommandArgs(argv: string[], options: Options, allowPositionals = true): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals, help: values.help === true };
  } catch (err) {
    throw new CliError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}
