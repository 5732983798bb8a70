// The agent's scheduled scans (the ScanRunner of agent-daemon.ts), run by the same discovery as
// `originmap scan` (DESIGN.md §6): the schedule's targets are its whole scope (the config file or the
// collector named them; nothing else is touched), its exclusions are never probed, the rates are
// the scan defaults, and the safe profile holds unless the schedule turns it off. The active modules
// are loaded at the first scheduled run, so an agent without a schedule never carries them.
import type { Observation } from '../../core/observation.js';
import type { ScanRunner } from './agent-daemon.js';
import type { ScanSchedule } from './config.js';
import type { Logger } from './log.js';

export function agentScanRunner(log: Logger): ScanRunner {
  return {
    async run(schedule: ScanSchedule, signal: AbortSignal): Promise<Observation[]> {
      const [{ discover }, { emptyScanConfig }] = await Promise.all([
        import('../active/discover.js'),
        import('../active/scan-config.js'),
      ]);
      const targets = schedule.targets.map((c) => c.text);
      const config = {
        ...emptyScanConfig(),
        scope: targets,
        exclude: schedule.exclude.map((c) => c.text),
        targets,
        safe: schedule.safe,
      };
      const r = await discover({
        targets,
        config,
        signal,
        onWarning: (line) => log.warn({ scan: true }, line),
      });
      const s = r.stats;
      log.info(
        { targets: s.targets, hostsUp: s.hostsUp, packets: s.packets, seconds: s.durationMs / 1000 },
        `scheduled scan done: ${s.hostsUp} hosts answered, ${r.observations.length} observations`,
      );
      return r.observations;
    },
  };
}
