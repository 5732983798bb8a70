// Tokens: issue (the secret is returned once and only its hash is kept), verify, list, revoke.
import type { Statement } from 'better-sqlite3';
import { hashToken, newToken, type Principal, type Role, sameHash, tokenHint } from '../auth/tokens.js';
import type { Db } from '../db/database.js';
import type { TokenInfo } from '../schemas/tenancy.js';

interface TokenRow {
  id: number;
  hash: Buffer;
  hint: string;
  role: Role;
  operator_id: number | null;
  site_id: number | null;
  sector: string | null;
  agent_id: number | null;
  label: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface TokenSpec {
  role: Role;
  operatorId?: number | null;
  siteId?: number | null;
  sector?: string | null;
  agentId?: number | null;
  label?: string;
  expiresAt?: string | null;
}

// Writing last_used_at on every request would make each read a write; once a minute is enough.
const TOUCH_INTERVAL_MS = 60_000;

export class TokenRepo {
  readonly #insert: Statement;
  readonly #byHash: Statement;
  readonly #list: Statement;
  readonly #byId: Statement;
  readonly #revoke: Statement;
  readonly #touch: Statement;
  readonly #revokeAgent: Statement;
  readonly #touched = new Map<number, number>();

  constructor(db: Db) {
    this.#insert = db.prepare(
      `INSERT INTO tokens (hash, hint, role, operator_id, site_id, sector, agent_id, label, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.#byHash = db.prepare('SELECT * FROM tokens WHERE hash = ?');
    this.#byId = db.prepare('SELECT * FROM tokens WHERE id = ?');
    this.#list = db.prepare('SELECT * FROM tokens WHERE (@role IS NULL OR role = @role) ORDER BY id');
    this.#revoke = db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.#touch = db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?');
    this.#revokeAgent = db.prepare(
      "UPDATE tokens SET revoked_at = ? WHERE agent_id = ? AND role = 'agent' AND revoked_at IS NULL",
    );
  }

  /** Stores a new token; returns its id and the secret, which is never readable again. */
  issue(spec: TokenSpec, now: string): { id: number; token: string } {
    const token = newToken();
    return { id: this.insertSecret(token, spec, now), token };
  }

  /** Stores a caller-chosen secret (the ORIGINMAP_ADMIN_TOKEN bootstrap); returns its id. */
  insertSecret(token: string, spec: TokenSpec, now: string): number {
    const row = this.#insert.get(
      hashToken(token),
      tokenHint(token),
      spec.role,
      spec.operatorId ?? null,
      spec.siteId ?? null,
      spec.sector ?? null,
      spec.agentId ?? null,
      spec.label ?? '',
      now,
      spec.expiresAt ?? null,
    ) as { id: number };
    return row.id;
  }

  /** The principal a token stands for, or null when it is unknown, revoked or expired. */
  verify(token: string, now: Date): Principal | null {
    const hash = hashToken(token);
    const row = this.#byHash.get(hash) as TokenRow | undefined;
    // The lookup is by hash, so its timing says nothing usable about the secret; the compare is cheap.
    if (!row || !sameHash(row.hash, hash)) return null;
    if (row.revoked_at !== null) return null;
    if (row.expires_at !== null && row.expires_at <= now.toISOString()) return null;
    const last = this.#touched.get(row.id) ?? 0;
    if (now.getTime() - last >= TOUCH_INTERVAL_MS) {
      this.#touched.set(row.id, now.getTime());
      this.#touch.run(now.toISOString(), row.id);
    }
    return {
      tokenId: row.id,
      role: row.role,
      operatorId: row.operator_id,
      siteId: row.site_id,
      sector: row.sector,
      agentId: row.agent_id,
    };
  }

  exists(token: string): boolean {
    return this.#byHash.get(hashToken(token)) !== undefined;
  }

  list(role: Role | null = null): TokenInfo[] {
    return (this.#list.all({ role }) as TokenRow[]).map(toInfo);
  }

  get(id: number): TokenInfo | undefined {
    const row = this.#byId.get(id) as TokenRow | undefined;
    return row && toInfo(row);
  }

  /** Retires every agent token of an agent (it enrolled again); returns how many. */
  revokeAgentTokens(agentId: number, now: string): number {
    return this.#revokeAgent.run(now, agentId).changes;
  }

  /** Revokes a token; false when it did not exist or was already revoked. */
  revoke(id: number, now: string): boolean {
    return this.#revoke.run(now, id).changes === 1;
  }
}

function toInfo(r: TokenRow): TokenInfo {
  return {
    id: r.id,
    hint: r.hint,
    role: r.role,
    operatorId: r.operator_id,
    siteId: r.site_id,
    sector: r.sector,
    agentId: r.agent_id,
    label: r.label,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}
