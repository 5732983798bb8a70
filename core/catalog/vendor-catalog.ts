// The loaded vendor catalog (signatures/vendors.yaml): canonical vendors by name and by IEEE
// registrant organisation name. Implements VendorCatalog from core/identify/contracts.ts.
import type { VendorCatalog, VendorInfo, WatchlistMembership } from '../identify/contracts.js';
import type { AliasIndex } from './registrant-alias.js';

/** A watch list the catalog knows, declared once at the top of vendors.yaml. */
export interface WatchlistInfo {
  id: string;
  title: string;
  source: string;
}

/** A catalog vendor with the data-file facts the engine does not need (aliases, provenance). */
export interface VendorEntry extends VendorInfo {
  readonly aliases: readonly string[];
  /** Where the HQ country and parent facts come from. */
  readonly source: string;
  readonly watchlists: readonly WatchlistMembership[];
}

export class Catalog implements VendorCatalog {
  readonly #byName = new Map<string, VendorEntry>();
  readonly #byLowerName = new Map<string, VendorEntry>();
  readonly #aliases: AliasIndex<VendorEntry>;
  readonly #all: readonly VendorEntry[];
  readonly watchlistInfo: ReadonlyMap<string, WatchlistInfo>;

  /** Vendors must already be validated (unique names and aliases): see load-vendors.ts. */
  constructor(
    vendors: readonly VendorEntry[],
    aliases: AliasIndex<VendorEntry>,
    lists: ReadonlyMap<string, WatchlistInfo>,
  ) {
    this.#all = Object.freeze([...vendors]);
    for (const v of vendors) {
      this.#byName.set(v.name, v);
      this.#byLowerName.set(v.name.toLowerCase(), v);
    }
    this.#aliases = aliases;
    this.watchlistInfo = lists;
  }

  /** Exact canonical name first, then case-insensitively ("tp-link" finds "TP-Link"). */
  byName(name: string): VendorEntry | undefined {
    return this.#byName.get(name) ?? this.#byLowerName.get(name.toLowerCase());
  }

  byRegistrant(organisation: string): VendorEntry | undefined {
    return this.#aliases.match(organisation);
  }

  /** The normalised alias that matched a registrant name (for reasons shown to analysts). */
  matchedAlias(organisation: string): string | undefined {
    return this.#aliases.matchedAlias(organisation);
  }

  all(): readonly VendorEntry[] {
    return this.#all;
  }
}
