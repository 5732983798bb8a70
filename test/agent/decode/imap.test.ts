// IMAP greetings (RFC 9051 §7.1) and malformed input.
import { describe, expect, it } from 'vitest';
import { TruncatedError } from '../../../agent/decode/errors.js';
import { imapDecoder } from '../../../agent/decode/imap.js';
import { clientCtx, observeWith, serverCtx, text, thrown } from './greeting-helpers.js';

const server = serverCtx(143);

describe('imap', () => {
  it('sniffs "* OK", "* PREAUTH" and "* BYE" from the server only', () => {
    expect(imapDecoder.sniff(text('* OK ready\r\n'), server)).toBe(true);
    expect(imapDecoder.sniff(text('* PREAUTH ready\r\n'), server)).toBe(true);
    expect(imapDecoder.sniff(text('* OK ready\r\n'), clientCtx(143))).toBe(false);
    expect(imapDecoder.sniff(text('+OK ready\r\n'), server)).toBe(false);
  });

  it('yields the text after the status and the response code', () => {
    const greeting =
      '* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.\r\n';
    expect(observeWith(imapDecoder, text(greeting), server).values('imap.banner', 'src')).toEqual([
      'Dovecot (Debian) ready.',
    ]);
  });

  it('keeps a response code that is the whole greeting; BYE is no banner', () => {
    expect(
      observeWith(imapDecoder, text('* OK [CAPABILITY IMAP4rev1]\r\n'), server).values('imap.banner'),
    ).toEqual(['[CAPABILITY IMAP4rev1]']);
    expect(observeWith(imapDecoder, text('* BYE shutting down\r\n'), server).observations).toEqual([]);
  });

  it('malformed greetings', () => {
    const cut = thrown(() => imapDecoder.decode(text('* OK [CAPA'), server));
    expect(cut).toBeInstanceOf(TruncatedError);
    expect(thrown(() => imapDecoder.decode(text('* OKAY\r\n'), server)).field).toBe('status');
    expect(thrown(() => imapDecoder.decode(text('* OK [CAPABILITY IMAP4rev1\r\n'), server)).field).toBe(
      'resp_text_code',
    );
  });
});
