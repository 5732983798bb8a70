// Which identification engine `originmap server` runs: the shipped core/identify engine and
// signatures. The version is the hash of the signature sources, so editing or upgrading them makes
// the collector re-identify its stored evidence at start (DESIGN.md §1).
import type { Identifier } from '../core/identify/contracts.js';
import { loadIdentifier as loadShippedIdentifier } from '../core/identify/load-identifier.js';
import { sourceHash } from '../core/signatures/shipped.js';

/** The engine and the version of the signatures it was built from (a change re-identifies). */
export async function loadIdentifier(): Promise<{ identifier: Identifier; signaturesVersion: string }> {
  return { identifier: loadShippedIdentifier(), signaturesVersion: `sha256:${sourceHash()}` };
}
