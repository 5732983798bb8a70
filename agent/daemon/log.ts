// The agent's log: pino JSON lines on stdout (journald and log shippers read them); on a terminal,
// one readable line per record. Tokens never reach a line, whatever logs them.
import pino, { type Logger } from 'pino';

export type { Logger };

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** "12:00:01 WARN  message key=value"; values stay JSON so control bytes from the wire stay escaped. */
function readable(line: string): string {
  try {
    const {
      time,
      level,
      msg,
      pid: _p,
      hostname: _h,
      service: _s,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    const when = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
    const extra = Object.entries(rest).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`);
    return `${when} ${(LEVELS[level as number] ?? String(level)).padEnd(5)} ${String(msg ?? '')}${extra.join('')}\n`;
  } catch {
    return line;
  }
}

export function createAgentLogger(
  level: string,
  opts: { pretty?: boolean; destination?: pino.DestinationStream } = {},
): Logger {
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  const destination =
    opts.destination ??
    (pretty
      ? { write: (chunk: string) => void process.stdout.write(readable(chunk)) }
      : pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level,
      base: { service: 'originmap-agent' },
      redact: { paths: ['token', 'enrollmentToken', 'headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}
