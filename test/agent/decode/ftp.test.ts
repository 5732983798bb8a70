// FTP greetings (RFC 959 §4.2 reply form, §5.4 120/220/421) and malformed input.
import { describe, expect, it } from 'vitest';
import { TruncatedError } from '../../../agent/decode/errors.js';
import { ftpDecoder } from '../../../agent/decode/ftp.js';
import { clientCtx, observeWith, serverCtx, text, thrown } from './greeting-helpers.js';

const plc = serverCtx(21);

describe('ftp', () => {
  it('sniffs a 220 greeting it can tell is FTP, never client bytes or SMTP', () => {
    expect(ftpDecoder.sniff(text('220 VxWorks (5.4.2) FTP server ready\r\n'), serverCtx(2100))).toBe(true);
    expect(ftpDecoder.sniff(text('220 Welcome\r\n'), plc)).toBe(true);
    expect(ftpDecoder.sniff(text('220 Welcome\r\n'), serverCtx(8021))).toBe(false);
    expect(ftpDecoder.sniff(text('220 mx ESMTP Exim 4.96\r\n'), plc)).toBe(false);
    expect(ftpDecoder.sniff(text('220 Welcome\r\n'), clientCtx(21))).toBe(false);
  });

  it('yields the greeting text without its code', () => {
    const out = observeWith(ftpDecoder, text('220 VxWorks (5.4.2) FTP server ready\r\n'), plc);
    expect(out.values('ftp.banner', 'src')).toEqual(['VxWorks (5.4.2) FTP server ready']);
  });

  it('takes the first line of a multi-line greeting', () => {
    const bytes = text(
      '220-FileZilla Server 0.9.60 beta\r\n220-written by Tim Kosse\r\n220 Please visit\r\n',
    );
    expect(observeWith(ftpDecoder, bytes, plc).values('ftp.banner')).toEqual([
      'FileZilla Server 0.9.60 beta',
    ]);
  });

  it('steps over "120 ready in n minutes" to the 220', () => {
    const bytes = text('120-Starting\r\n120 ready in 1 minute\r\n220 ProFTPD Server ready.\r\n');
    expect(observeWith(ftpDecoder, bytes, plc).values('ftp.banner')).toEqual(['ProFTPD Server ready.']);
  });

  it('a 421 refusal is no banner', () => {
    const out = observeWith(ftpDecoder, text('421 Too many users\r\n'), plc);
    expect(out.observations).toEqual([]);
  });

  it('a greeting without its line end is a TruncatedError on greeting', () => {
    const err = thrown(() => ftpDecoder.decode(text('220 Pure-FTP'), plc));
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('greeting');
  });

  it.each([
    ['reply.code', '22O Welcome\r\n'],
    ['reply.code', '331 Password required\r\n'],
    ['greeting', '220 mail ESMTP Postfix\r\n'],
    ['greeting', `220 ${'x'.repeat(1100)}\r\n`],
  ])('a bad greeting is a DecodeError on %s', (field, s) => {
    expect(thrown(() => ftpDecoder.decode(text(s), plc)).field).toBe(field);
  });

  it('client bytes are a DecodeError on greeting', () => {
    expect(thrown(() => ftpDecoder.decode(text('USER anonymous\r\n'), clientCtx(21))).field).toBe('greeting');
  });
});
