// Which identification engine `originmap server` runs. The app takes any Identifier (DESIGN.md §1:
// the collector re-identifies stored evidence); until the CLI wires core/identify here, the server
// runs the engine below, which decides no field from the evidence — every identity field stays
// null (honest: no rules loaded) except randomizedMac, which is a fact of the MAC itself.
import type { DeviceEvidence, Identifier } from '../core/identify/contracts.js';
import type { Identity } from '../core/inventory.js';

export class RulelessIdentifier implements Identifier {
  identify(evidence: DeviceEvidence): Identity {
    // IEEE 802: bit 1 of the first octet set = locally administered (randomised) address.
    const first = evidence.mac === null ? 0 : Number.parseInt(evidence.mac.slice(0, 2), 16);
    return {
      vendor: null,
      vendorCountry: null,
      vendorParent: null,
      watchlists: [],
      registrant: null,
      registrantCountry: null,
      randomizedMac: (first & 0x02) !== 0,
      class: null,
      model: null,
      firmware: null,
      os: null,
      confidence: null,
      reasons: [],
    };
  }
}

/** The engine and the version of the signatures it was built from (a change re-identifies). */
export async function loadIdentifier(): Promise<{ identifier: Identifier; signaturesVersion: string }> {
  return { identifier: new RulelessIdentifier(), signaturesVersion: 'ruleless-0' };
}
