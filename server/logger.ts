// pino logger for the collector: JSON lines for machines; on a terminal, one readable line per
// record. The pretty form is a few lines of ours rather than pino-pretty (a dependency with its
// own worker-thread transport) because people only read it interactively; production ships JSON.
import type { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Default: pretty when stdout is a terminal. */
  pretty?: boolean;
  /** Where JSON lines go (tests capture them); default stdout. */
  destination?: pino.DestinationStream;
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** One record as "12:00:01 INFO  message key=value …"; values are JSON so control bytes stay escaped. */
export function prettyLine(line: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, pid: _pid, hostname: _host, ...rest } = rec;
  const when = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
  const extras = Object.entries(rest)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  return `${when} ${(LEVELS[level as number] ?? String(level)).padEnd(5)} ${String(msg ?? '')}${extras ? ` ${extras}` : ''}\n`;
}

function prettyStream(out: Writable): pino.DestinationStream {
  return { write: (chunk: string) => void out.write(prettyLine(chunk)) };
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  const destination = opts.destination ?? (pretty ? prettyStream(process.stdout) : pino.destination(1));
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: 'originmap-collector' },
      // Tokens must never reach a log line, whatever logs a request.
      redact: {
        paths: ['req.headers.authorization', 'headers.authorization', 'token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** What background work (evaluations, the report scheduler) logs with: the app's logger. */
export type EventLog = Pick<Logger, 'info' | 'warn' | 'error'>;
