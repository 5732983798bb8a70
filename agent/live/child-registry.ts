// Capture children must never outlive the agent. Orderly exits stop them; an agent killed with
// SIGKILL cannot, and a tcpdump on a quiet interface only notices the closed pipe at its next packet.
// So the agent records its children (pid and kernel start time, which tells a reused pid apart) in
// its state directory, and the next agent to start there kills any that are still running.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CHILDREN_FILE = 'capture-children.json';

interface Entry {
  pid: number;
  start: string;
}

/** The kernel's start time of a process (clock ticks since boot), or null when it is gone. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Writes the current children (atomically: a crash leaves the old list or the new one). */
export function recordChildren(stateDir: string, pids: readonly number[]): void {
  const entries: Entry[] = [];
  for (const pid of pids) {
    const start = processStart(pid);
    if (start) entries.push({ pid, start });
  }
  const file = join(stateDir, CHILDREN_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(entries), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** Kills children a previous agent left running; returns their pids. */
export function killLeftovers(stateDir: string): number[] {
  let entries: Entry[];
  try {
    entries = JSON.parse(readFileSync(join(stateDir, CHILDREN_FILE), 'utf8')) as Entry[];
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const e of Array.isArray(entries) ? entries.slice(0, 64) : []) {
    if (!Number.isSafeInteger(e?.pid) || e.pid <= 1 || e.pid === process.pid) continue;
    if (processStart(e.pid) !== e.start) continue; // gone, or the pid now belongs to someone else
    try {
      process.kill(e.pid, 'SIGKILL');
      killed.push(e.pid);
    } catch {
      // exited in between
    }
  }
  return killed;
}
