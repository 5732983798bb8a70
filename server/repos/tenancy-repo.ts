// Operators, sites and agents: the only code that writes their SQL.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';
import { ApiError } from '../errors.js';
import {
  type Agent,
  type AgentSettings,
  DEFAULT_AGENT_SETTINGS,
  type Heartbeat,
  type Operator,
  type Site,
} from '../schemas/tenancy.js';

interface OperatorRow {
  id: number;
  name: string;
  sector: string;
  country: string;
  created_at: string;
}
interface SiteRow {
  id: number;
  operator_id: number;
  name: string;
  home_net: string;
  created_at: string;
}
interface AgentRow {
  id: number;
  site_id: number;
  operator_id: number;
  name: string;
  settings: string;
  enrolled_at: string | null;
  last_seen_at: string | null;
  last_heartbeat: string | null;
  created_at: string;
}

const AGENT_SELECT = `SELECT a.*, s.operator_id FROM agents a JOIN sites s ON s.id = a.site_id`;

/** SQLite's UNIQUE violation becomes the API's 409. */
function conflictAware<T>(fn: () => T, what: string): T {
  try {
    return fn();
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new ApiError('OM_ERR_TENANT_CONFLICT', [what]);
    }
    throw err;
  }
}

export class TenancyRepo {
  readonly #db: Db;
  readonly #insertOperator: Statement;
  readonly #operator: Statement;
  readonly #operators: Statement;
  readonly #insertSite: Statement;
  readonly #site: Statement;
  readonly #sites: Statement;
  readonly #insertAgent: Statement;
  readonly #agent: Statement;
  readonly #heartbeat: Statement;
  readonly #settings: Statement;

  constructor(db: Db) {
    this.#db = db;
    this.#insertOperator = db.prepare(
      'INSERT INTO operators (name, sector, country, created_at) VALUES (?, ?, ?, ?) RETURNING *',
    );
    this.#operator = db.prepare('SELECT * FROM operators WHERE id = ?');
    this.#operators = db.prepare('SELECT * FROM operators ORDER BY id');
    this.#insertSite = db.prepare(
      'INSERT INTO sites (operator_id, name, home_net, created_at) VALUES (?, ?, ?, ?) RETURNING *',
    );
    this.#site = db.prepare('SELECT * FROM sites WHERE id = ?');
    this.#sites = db.prepare(
      'SELECT * FROM sites WHERE (@operatorId IS NULL OR operator_id = @operatorId) AND (@siteId IS NULL OR id = @siteId) ORDER BY id',
    );
    this.#insertAgent = db.prepare(
      'INSERT INTO agents (site_id, name, settings, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    );
    this.#agent = db.prepare(`${AGENT_SELECT} WHERE a.id = ?`);
    this.#heartbeat = db.prepare('UPDATE agents SET last_seen_at = ?, last_heartbeat = ? WHERE id = ?');
    this.#settings = db.prepare('UPDATE agents SET settings = ? WHERE id = ?');
  }

  createOperator(name: string, sector: string, country: string, now: string): Operator {
    const row = conflictAware(
      () => this.#insertOperator.get(name, sector, country, now) as OperatorRow,
      `operator "${name}"`,
    );
    return toOperator(row);
  }

  operator(id: number): Operator | undefined {
    const row = this.#operator.get(id) as OperatorRow | undefined;
    return row && toOperator(row);
  }

  operators(): Operator[] {
    return (this.#operators.all() as OperatorRow[]).map(toOperator);
  }

  /** Operators of a sector, or one operator: a regulator's scope. */
  operatorsInScope(scope: { operatorId: number | null; sector: string | null }): Operator[] {
    return this.operators().filter(
      (o) =>
        (scope.operatorId === null || o.id === scope.operatorId) &&
        (scope.sector === null || o.sector === scope.sector),
    );
  }

  createSite(operatorId: number, name: string, homeNet: string[], now: string): Site {
    const row = conflictAware(
      () => this.#insertSite.get(operatorId, name, JSON.stringify(homeNet), now) as SiteRow,
      `site "${name}"`,
    );
    return toSite(row);
  }

  site(id: number): Site | undefined {
    const row = this.#site.get(id) as SiteRow | undefined;
    return row && toSite(row);
  }

  /** All sites, or an operator's, or one site (an analyst limited to a site). */
  sites(operatorId: number | null, siteId: number | null = null): Site[] {
    return (this.#sites.all({ operatorId, siteId }) as SiteRow[]).map(toSite);
  }

  createAgent(siteId: number, name: string, settings: AgentSettings | undefined, now: string): Agent {
    const { id } = conflictAware(
      () =>
        this.#insertAgent.get(siteId, name, JSON.stringify(settings ?? DEFAULT_AGENT_SETTINGS), now) as {
          id: number;
        },
      `agent "${name}"`,
    );
    return this.agent(id)!;
  }

  agent(id: number): Agent | undefined {
    const row = this.#agent.get(id) as AgentRow | undefined;
    return row && toAgent(row);
  }

  /** Agents of every site, of an operator, or of one site. */
  agents(filter: { operatorId?: number; siteId?: number } = {}): Agent[] {
    const rows = this.#db
      .prepare(
        `${AGENT_SELECT} WHERE (@operatorId IS NULL OR s.operator_id = @operatorId) AND (@siteId IS NULL OR a.site_id = @siteId) ORDER BY a.id`,
      )
      .all({ operatorId: filter.operatorId ?? null, siteId: filter.siteId ?? null }) as AgentRow[];
    return rows.map(toAgent);
  }

  markEnrolled(agentId: number, now: string): void {
    this.#db
      .prepare('UPDATE agents SET enrolled_at = ?, last_seen_at = ? WHERE id = ?')
      .run(now, now, agentId);
  }

  recordHeartbeat(agentId: number, heartbeat: Heartbeat, now: string): void {
    this.#heartbeat.run(now, JSON.stringify(heartbeat), agentId);
  }

  updateSettings(agentId: number, settings: AgentSettings): void {
    this.#settings.run(JSON.stringify(settings), agentId);
  }
}

function toOperator(r: OperatorRow): Operator {
  return { id: r.id, name: r.name, sector: r.sector, country: r.country, createdAt: r.created_at };
}

function toSite(r: SiteRow): Site {
  return {
    id: r.id,
    operatorId: r.operator_id,
    name: r.name,
    homeNet: JSON.parse(r.home_net) as string[],
    createdAt: r.created_at,
  };
}

function toAgent(r: AgentRow): Agent {
  return {
    id: r.id,
    siteId: r.site_id,
    operatorId: r.operator_id,
    name: r.name,
    settings: { ...DEFAULT_AGENT_SETTINGS, ...(JSON.parse(r.settings) as Partial<AgentSettings>) },
    enrolledAt: r.enrolled_at,
    lastSeenAt: r.last_seen_at,
    lastHeartbeat: r.last_heartbeat === null ? null : (JSON.parse(r.last_heartbeat) as Heartbeat),
    createdAt: r.created_at,
  };
}
