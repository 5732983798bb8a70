// Names a client puts on the wire (HTTP Host, TLS SNI) checked before they may name an address:
// a DNS host name (RFC 1123 §2.1 labels, RFC 6066 §3 for SNI), never an IP literal.

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The lower-case DNS name in `text`, or null when it is not one: an IP literal, empty labels,
 * labels over 63 or names over 253 characters, or characters outside letters, digits, "-" and "_"
 * (underscore appears in real service names, e.g. "_dmarc", so it is tolerated).
 */
export function dnsName(text: string): string | null {
  let name = text.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.length === 0 || name.length > 253 || IPV4.test(name)) return null;
  for (const label of name.split('.')) if (!LABEL.test(label)) return null;
  // An all-numeric top label is never a TLD (RFC 3696 §2), so "1.2.3.4.5" is not a name either.
  if (/^\d+$/.test(name.slice(name.lastIndexOf('.') + 1))) return null;
  return name;
}

/**
 * The host part of an HTTP Host header value (RFC 9110 §7.2: uri-host [ ":" port ]), without the
 * port; IPv6 literals keep their brackets. Null when the value is empty or malformed.
 */
export function hostOfAuthority(value: string): string | null {
  const text = value.trim();
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    const rest = text.slice(close + 1);
    return rest === '' || /^:\d{0,5}$/.test(rest) ? text.slice(0, close + 1) : null;
  }
  const colon = text.indexOf(':');
  if (colon < 0) return text || null;
  return /^\d{0,5}$/.test(text.slice(colon + 1)) && colon > 0 ? text.slice(0, colon) : null;
}
