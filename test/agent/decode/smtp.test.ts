// SMTP greetings (RFC 5321 §3.1, §4.2) and malformed input.
import { describe, expect, it } from 'vitest';
import { TruncatedError } from '../../../agent/decode/errors.js';
import { smtpDecoder } from '../../../agent/decode/smtp.js';
import { clientCtx, observeWith, serverCtx, text, thrown } from './greeting-helpers.js';

const mx = serverCtx(25);

describe('smtp', () => {
  it('sniffs a 220 greeting it can tell is SMTP, never FTP', () => {
    expect(
      smtpDecoder.sniff(text('220 mail.plant.example ESMTP Postfix (Debian/GNU)\r\n'), serverCtx(10025)),
    ).toBe(true);
    expect(smtpDecoder.sniff(text('220 mail.plant.example ready\r\n'), mx)).toBe(true);
    expect(smtpDecoder.sniff(text('220 ProFTPD Server\r\n'), mx)).toBe(false);
    expect(smtpDecoder.sniff(text('220 mail ESMTP\r\n'), clientCtx(25))).toBe(false);
  });

  it('yields the greeting text, first line of a multi-line one', () => {
    const bytes = text('220-mail.plant.example ESMTP Exim 4.96 Mon, 01 Jan 2024\r\n220 No UCE\r\n');
    expect(observeWith(smtpDecoder, bytes, mx).values('smtp.banner', 'src')).toEqual([
      'mail.plant.example ESMTP Exim 4.96 Mon, 01 Jan 2024',
    ]);
  });

  it('a 554 refusal is no banner', () => {
    expect(observeWith(smtpDecoder, text('554 No SMTP service here\r\n'), mx).observations).toEqual([]);
  });

  it('a greeting without its line end is a TruncatedError on greeting', () => {
    const err = thrown(() => smtpDecoder.decode(text('220 mx ESMTP'), mx));
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('greeting');
  });

  it.each([
    ['reply.code', 'EHLO x\r\n'],
    ['reply.code', '250 OK\r\n'],
    ['greeting', '220 vsFTPd 3.0.3\r\n'],
  ])('a bad greeting is a DecodeError on %s', (field, s) => {
    expect(thrown(() => smtpDecoder.decode(text(s), mx)).field).toBe(field);
  });
});
