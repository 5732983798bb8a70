// Per-operator policy configuration (packs, home country, OT networks, the operator's policy
// file): the only code that writes its SQL.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';

export interface StoredPolicyConfig {
  packs: string[];
  homeCountry: string | null;
  otNetworks: string[];
  policyText: string | null;
  updatedAt: string;
  updatedBy: string;
}

interface Row {
  packs: string;
  home_country: string | null;
  ot_networks: string;
  policy_text: string | null;
  updated_at: string;
  updated_by: string;
}

export class PolicyRepo {
  readonly #get: Statement;
  readonly #put: Statement;

  constructor(db: Db) {
    this.#get = db.prepare('SELECT * FROM policy_configs WHERE operator_id = ?');
    this.#put = db.prepare(
      `INSERT INTO policy_configs (operator_id, packs, home_country, ot_networks, policy_text, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (operator_id) DO UPDATE SET packs = excluded.packs, home_country = excluded.home_country,
         ot_networks = excluded.ot_networks, policy_text = excluded.policy_text, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by`,
    );
  }

  /** The stored configuration, or undefined when the operator runs on the defaults. */
  get(operatorId: number): StoredPolicyConfig | undefined {
    const r = this.#get.get(operatorId) as Row | undefined;
    return (
      r && {
        packs: JSON.parse(r.packs) as string[],
        homeCountry: r.home_country,
        otNetworks: JSON.parse(r.ot_networks) as string[],
        policyText: r.policy_text,
        updatedAt: r.updated_at,
        updatedBy: r.updated_by,
      }
    );
  }

  put(operatorId: number, c: StoredPolicyConfig): void {
    this.#put.run(
      operatorId,
      JSON.stringify(c.packs),
      c.homeCountry,
      JSON.stringify(c.otNetworks),
      c.policyText,
      c.updatedAt,
      c.updatedBy,
    );
  }
}
