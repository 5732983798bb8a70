// Telnet banners behind option negotiation (RFC 854 commands, RFC 855 subnegotiation).
import { describe, expect, it } from 'vitest';
import { TruncatedError } from '../../../agent/decode/errors.js';
import { telnetDecoder } from '../../../agent/decode/telnet.js';
import { clientCtx, observeWith, serverCtx, text, thrown } from './greeting-helpers.js';
import { hex } from './helpers.js';

const router = serverCtx(23);

// IAC WILL ECHO, IAC WILL SUPPRESS-GO-AHEAD, IAC DO TERMINAL-TYPE, IAC DO NAWS (RFC 857, 858, 1091, 1073).
const NEGOTIATION = hex('fffb01 fffb03 fffd18 fffd1f');

describe('telnet', () => {
  it('sniffs option negotiation on any port, plain text only on telnet ports, never client bytes', () => {
    expect(telnetDecoder.sniff(NEGOTIATION, serverCtx(2323))).toBe(true);
    expect(telnetDecoder.sniff(NEGOTIATION, serverCtx(9999))).toBe(true);
    expect(telnetDecoder.sniff(text('\r\nUser Access Verification\r\n'), router)).toBe(true);
    expect(telnetDecoder.sniff(text('User Access Verification\r\n'), serverCtx(8080))).toBe(false);
    expect(telnetDecoder.sniff(NEGOTIATION, clientCtx(23))).toBe(false);
  });

  it('steps over negotiation and blank lines to the first text line', () => {
    const bytes = Buffer.concat([NEGOTIATION, text('\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:')]);
    const pdu = telnetDecoder.decode(bytes, router);
    expect(pdu.negotiations).toBe(4);
    expect(observeWith(telnetDecoder, bytes, router).values('telnet.banner', 'src')).toEqual([
      'Login authentication',
    ]);
  });

  it('steps over subnegotiation, commands inside a line, CR NUL and ANSI colours', () => {
    // IAC SB TERMINAL-TYPE SEND IAC SE; IAC GA mid-line; ESC[1;32m … ESC[0m.
    const bytes = Buffer.concat([
      hex('fffa1801fff0'),
      text('\r\0'),
      text('\x1b[1;32mBusyBox'),
      hex('fff9'),
      text(' v1.31.1\x1b[0m built-in shell\r\n'),
    ]);
    const out = observeWith(telnetDecoder, bytes, router);
    expect(out.values('telnet.banner')).toEqual(['BusyBox v1.31.1 built-in shell']);
    expect(out.anomalies).toEqual(['telnet.ansi_escape']);
  });

  it('takes an unterminated login prompt as the banner', () => {
    const bytes = Buffer.concat([NEGOTIATION, text('\r\nDVR login: ')]);
    const pdu = telnetDecoder.decode(bytes, router);
    expect(pdu.prompt).toBe(true);
    expect(observeWith(telnetDecoder, bytes, router).values('telnet.banner')).toEqual(['DVR login:']);
  });

  it('text that has not reached its line end is a TruncatedError on banner', () => {
    const err = thrown(() => telnetDecoder.decode(Buffer.concat([NEGOTIATION, text('Welcome to')]), router));
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('banner');
  });

  it('negotiation cut mid-command is a TruncatedError on iac.option', () => {
    const err = thrown(() => telnetDecoder.decode(hex('fffb01 fffd'), router));
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('iac.option');
  });

  it('a subnegotiation without IAC SE within the cap is a DecodeError on subnegotiation', () => {
    const bytes = Buffer.concat([hex('fffa18'), Buffer.alloc(600, 0x41)]);
    const err = thrown(() => telnetDecoder.decode(bytes, router));
    expect(err).not.toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('subnegotiation');
  });

  it('a binary first line is a DecodeError on banner', () => {
    expect(
      thrown(() => telnetDecoder.decode(Buffer.concat([NEGOTIATION, hex('0102037f0d0a')]), router)).field,
    ).toBe('banner');
  });

  it('only blank lines past the cap is a DecodeError on banner', () => {
    expect(thrown(() => telnetDecoder.decode(text('\r\n'.repeat(40)), router)).field).toBe('banner');
  });

  it('client bytes are a DecodeError on greeting', () => {
    expect(thrown(() => telnetDecoder.decode(NEGOTIATION, clientCtx(23))).field).toBe('greeting');
  });
});
