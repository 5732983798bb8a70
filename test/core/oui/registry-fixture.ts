// A registry in the oui-data shape, written from the format (not copied from the data), shared by
// the JSON index's and the compact form's tests: the three block sizes, a subdivided IEEE block with
// a null entry, organisation-only and country-less entries, and keys the loader must ignore.
export const REGISTRY_FIXTURE = {
  '001B1B': 'Large Maker AG\nStrasse 1\nMunich 80333\nGermany',
  '001B1B5': 'Medium Maker Ltd\nRoad 2\nOsaka\nJAPAN',
  '001B1B567': 'Small "Quoted" Société\nRue 3\nParis\nFrance',
  '0050C2': 'IEEE Registration Authority\n445 Hoes Lane\nPiscataway NJ 08554\nUnited States',
  '0050C2AB1': 'Tiny Block Inc\nMain St\nAustin TX\nUnited States',
  '0050C2AB2': 'IEEE Registration Authority\nsubdivided again',
  '002233': 'Private',
  '004455': 'Old Registrant\nSunnyvale CA 94089',
  '12345': 'bad key length',
  'not hex!': 'ignored',
};
