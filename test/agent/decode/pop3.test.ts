// POP3 greetings (RFC 1939 §4) and malformed input.
import { describe, expect, it } from 'vitest';
import { TruncatedError } from '../../../agent/decode/errors.js';
import { pop3Decoder } from '../../../agent/decode/pop3.js';
import { clientCtx, observeWith, serverCtx, text, thrown } from './greeting-helpers.js';

const server = serverCtx(110);

describe('pop3', () => {
  it('sniffs +OK / -ERR from the server only', () => {
    expect(pop3Decoder.sniff(text('+OK Dovecot ready.\r\n'), server)).toBe(true);
    expect(pop3Decoder.sniff(text('+OK Dovecot ready.\r\n'), clientCtx(110))).toBe(false);
    expect(pop3Decoder.sniff(text('* OK IMAP4rev1\r\n'), server)).toBe(false);
  });

  it('yields the text after +OK, APOP timestamp included', () => {
    const out = observeWith(
      pop3Decoder,
      text('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n'),
      server,
    );
    expect(out.values('pop3.banner', 'src')).toEqual(['POP3 server ready <1896.697170952@dbc.mtview.ca.us>']);
  });

  it('-ERR is no banner', () => {
    expect(observeWith(pop3Decoder, text('-ERR too busy\r\n'), server).observations).toEqual([]);
  });

  it('a cut greeting is a TruncatedError, a wrong status a DecodeError on status', () => {
    const cut = thrown(() => pop3Decoder.decode(text('+OK Dov'), server));
    expect(cut).toBeInstanceOf(TruncatedError);
    expect(cut.field).toBe('greeting');
    expect(thrown(() => pop3Decoder.decode(text('+OKAY\r\n'), server)).field).toBe('status');
    expect(thrown(() => pop3Decoder.decode(text('hello\r\n'), server)).field).toBe('status');
  });
});
