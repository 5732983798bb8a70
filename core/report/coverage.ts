// The summary's agent coverage: which agents report at the period end, how much of the period each
// was heard from, and the silences inside it, from the collector's record of when agents were
// active (heartbeats and uploads as time spans). Pure: the spans and the period come in.
import type { Period } from './schedule.js';
import type { Summary } from './schema.js';

export interface AgentInput {
  id: string;
  site: string;
  /** Last heartbeat or upload before the period end (null: never heard from). */
  lastSeen: string | null;
  /** When the agent was set up: the period before it is not counted against it. */
  since?: string | null;
  /** Spans during which the agent was heard from (ISO instants); absent: no history kept. */
  activity?: readonly { from: string; to: string }[];
}

export interface CoverageOptions {
  /** An agent is reporting when seen within this many hours before the period end. */
  windowHours: number;
  /** Silences shorter than this many hours are counted in uptime but not listed. */
  silenceHours: number;
}

const HOUR = 3_600_000;
type Coverage = NonNullable<Summary['coverage']>;

export function coverage(
  agents: readonly AgentInput[],
  sites: readonly { id: string }[],
  period: Period,
  options: CoverageOptions,
): Coverage {
  const end = Date.parse(period.end);
  const silences: Coverage['silences'] = [];
  const rows = [...agents]
    .sort((a, b) => a.site.localeCompare(b.site) || a.id.localeCompare(b.id))
    .map((a) => {
      const heard = a.activity ? activityIn(a, period) : null;
      if (heard)
        for (const [from, to] of heard.silences)
          if ((to ?? end) - from >= options.silenceHours * HOUR)
            silences.push({
              agent: a.id,
              site: a.site,
              from: new Date(from).toISOString(),
              to: to === null ? null : new Date(to).toISOString(),
              hours: Math.floor(((to ?? end) - from) / HOUR),
            });
      return {
        id: a.id,
        site: a.site,
        lastSeen: a.lastSeen,
        reporting: a.lastSeen !== null && Date.parse(a.lastSeen) >= end - options.windowHours * HOUR,
        uptime: heard?.uptime ?? null,
      };
    });
  const reportingSites = new Set(rows.filter((r) => r.reporting).map((r) => r.site));
  return {
    windowHours: options.windowHours,
    agentsTotal: rows.length,
    agentsReporting: rows.filter((r) => r.reporting).length,
    agents: rows,
    gaps: rows
      .filter((r) => !r.reporting)
      .map((r) => ({
        agent: r.id,
        site: r.site,
        lastSeen: r.lastSeen,
        silentHours: r.lastSeen === null ? null : Math.floor((end - Date.parse(r.lastSeen)) / HOUR),
      })),
    sitesWithoutReportingAgent: sites
      .map((s) => s.id)
      .filter((id) => !reportingSites.has(id))
      .sort(),
    silenceHours: options.silenceHours,
    silences,
  };
}

/**
 * The share of the period (from the agent's set-up) covered by its activity spans, and the
 * uncovered stretches as [from, to] in ms (to null: still silent at the period end). Spans may
 * overlap or come unsorted; only their part inside the period counts.
 */
export function activityIn(
  agent: Pick<AgentInput, 'since' | 'activity'>,
  period: Pick<Period, 'start' | 'end'>,
): { uptime: number | null; silences: [number, number | null][] } {
  const end = Date.parse(period.end);
  const since = agent.since ? Date.parse(agent.since) : Number.NEGATIVE_INFINITY;
  const start = Math.max(Date.parse(period.start), since);
  if (!(start < end)) return { uptime: null, silences: [] };
  const spans = (agent.activity ?? [])
    .map((s) => [Math.max(Date.parse(s.from), start), Math.min(Date.parse(s.to), end)] as const)
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && a <= b)
    .sort((x, y) => x[0] - y[0]);
  const silences: [number, number | null][] = [];
  let cursor = start;
  let covered = 0;
  for (const [from, to] of spans) {
    if (from > cursor) silences.push([cursor, from]);
    if (to > cursor) {
      covered += to - Math.max(from, cursor);
      cursor = to;
    }
  }
  if (cursor < end) silences.push([cursor, null]);
  return { uptime: Math.round((covered / (end - start)) * 10_000) / 10_000, silences };
}
