// Reads a file named on the command line with a size limit checked before reading, and turns
// file-system errors into one-line CLI errors.
import { readFileSync, statSync } from 'node:fs';
import { CliError } from './cli-error.js';

export function readCapped(path: string, maxBytes: number, what: string): Buffer {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new CliError(`${what} ${path} is not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(
      `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  if (size > maxBytes)
    throw new CliError(`${what} ${path} is ${size} bytes, more than the ${maxBytes} allowed`);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliError(
      `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}
