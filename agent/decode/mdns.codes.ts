// mDNS / DNS-SD name tables (RFC 6762, RFC 6763): the service enumeration name and the TXT keys that
// say who made a device or what it is. Keys keep the spelling the specifications use.

/** RFC 6763 §9: PTR records at this name list the service types a responder offers. */
export const SERVICE_ENUMERATION = '_services._dns-sd._udp';

/** Reverse-mapping domains (RFC 1035 §3.5, RFC 3596 §2.5): PTR owners there name hosts, not services. */
export const REVERSE_SUFFIXES = ['.in-addr.arpa', '.ip6.arpa'] as const;

/**
 * TXT keys of interest, with where each is defined or documented:
 * - ty, product, usb_MFG, usb_MDL: Bonjour Printing Specification 1.2.1 §9 (printer make and model,
 *   IEEE 1284 device id parts); mfg, mdl: the same parts as scanners (eSCL/WSD vendors) send them.
 * - model: Apple _device-info._tcp and AirPlay ("MacBookPro14,1", "AppleTV6,2").
 * - am, fv, srcvers, vs: AirPlay/RAOP model, firmware version, source version, server version.
 * - rpMd: Apple Rapport (_companion-link._tcp) model.
 * - osxvers: AFP/SMB on macOS, the Darwin major version.
 * - md: Google Cast model name; also HomeKit Accessory Protocol model (HAP §6.4).
 * - ci: HomeKit accessory category identifier (HAP §13, e.g. 17 = IP camera).
 * - manufacturer, vendor: free-form keys many embedded DNS-SD stacks publish.
 */
export const MDNS_TXT_KEYS: readonly string[] = [
  'ty',
  'product',
  'usb_MFG',
  'usb_MDL',
  'mfg',
  'mdl',
  'model',
  'am',
  'fv',
  'srcvers',
  'vs',
  'rpMd',
  'osxvers',
  'md',
  'ci',
  'manufacturer',
  'vendor',
];

/** Lower-case key → the spelling above (TXT keys are case-insensitive, RFC 6763 §6.4). */
export const MDNS_TXT_KEY_BY_LOWER: ReadonlyMap<string, string> = new Map(
  MDNS_TXT_KEYS.map((k) => [k.toLowerCase(), k]),
);
