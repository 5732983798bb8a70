// INTERIM: banner readers for probe replies until agent/decode lands its ssh/ftp/telnet/smtp
// decoders; the probe runner prefers a registered decoder with the same id, so this file goes away
// when those land. First text line of what the server sent, Telnet negotiation (RFC 854 IAC) removed.

import type { ObservationKey } from '../../../core/observation-keys.js';
import { DecodeError } from '../../decode/errors.js';
import type { AppDecoder } from '../../decode/types.js';

function firstLine(bytes: Uint8Array, protocol: string, stripIac: boolean): string {
  const out: number[] = [];
  for (let i = 0; i < bytes.length && out.length < 512; i++) {
    const b = bytes[i]!;
    if (stripIac && b === 0xff) {
      // IAC: skip the command and, for WILL/WONT/DO/DONT, its option; SB ... IAC SE as a block.
      const cmd = bytes[i + 1];
      if (cmd === 0xfa) {
        const se = bytes.indexOf(0xf0, i + 2);
        i = se < 0 ? bytes.length : se;
      } else i += cmd !== undefined && cmd >= 0xfb ? 2 : 1;
      continue;
    }
    if (b === 0x0a) {
      if (out.length) break;
      continue;
    }
    if (b !== 0x0d && b !== 0x00) out.push(b);
  }
  const text = Buffer.from(out).toString('utf8').trim();
  if (!text) throw new DecodeError(protocol, 0, 'banner', 'no text line');
  return text;
}

function bannerDecoder(
  id: string,
  port: number,
  key: ObservationKey,
  accept: (line: string) => boolean,
  stripIac = false,
): AppDecoder<string> {
  return {
    id,
    transports: ['tcp'],
    ports: [port],
    sniff: (bytes) => bytes.length > 0,
    decode(bytes, ctx) {
      if (ctx.fromClient) throw new DecodeError(id, 0, 'direction', 'client bytes carry no banner');
      const line = firstLine(bytes, id, stripIac);
      if (!accept(line)) throw new DecodeError(id, 0, 'banner', `not a ${id} greeting`);
      return line;
    },
    observe(line, _ctx, out) {
      out.observe('src', key, line);
    },
  };
}

export const sshBanner = bannerDecoder('ssh', 22, 'ssh.banner', (l) => /^SSH-\d\.\d+-/.test(l));
export const ftpBanner = bannerDecoder('ftp', 21, 'ftp.banner', (l) => /^220[ -]/.test(l));
export const smtpBanner = bannerDecoder('smtp', 25, 'smtp.banner', (l) => /^220[ -]/.test(l));
export const telnetBanner = bannerDecoder('telnet', 23, 'telnet.banner', () => true, true);
