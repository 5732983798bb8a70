// Error lines may quote input (a key id from a report, a JSON path from a document, a policy
// value): strip terminal controls from them before they reach the user's terminal.
import { terminalSafe } from '../../core/policy/analyze.js';
import { CliError } from './cli-error.js';

/** Runs a command; a CliError comes out with each of its lines made terminal-safe. */
export async function withSafeErrors(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CliError)
      throw new CliError(err.message.split('\n').map(terminalSafe).join('\n'), err.exitCode);
    throw err;
  }
}
