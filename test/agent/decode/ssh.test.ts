// The SSH identification exchange (RFC 4253 §4.2) from both sides, and malformed input.
import { describe, expect, it } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { sshDecoder } from '../../../agent/decode/ssh.js';
import { ctx, RecordingEmitter } from './helpers.js';

const router = ctx('tcp', {
  src: { mac: '00:e0:fc:00:00:04', ip: '192.168.0.1', port: 22 },
  dst: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 50300 },
  fromClient: false,
});
const admin = ctx('tcp', {
  src: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 50300 },
  dst: { mac: '00:e0:fc:00:00:04', ip: '192.168.0.1', port: 22 },
});

const text = (s: string) => Buffer.from(s, 'latin1');

function observe(s: string, c = router): RecordingEmitter {
  const out = new RecordingEmitter();
  sshDecoder.observe(sshDecoder.decode(text(s), c), c, out);
  return out;
}

function thrown(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  throw new Error('expected a DecodeError');
}

// SSH_MSG_KEXINIT follows the identification in the same direction: binary, not our business.
const KEXINIT = '\x00\x00\x01\x0c\x0a\x14';

describe('ssh', () => {
  it('sniffs "SSH-" on any port, and a server notice only on an SSH port', () => {
    expect(sshDecoder.sniff(text('SSH-2.0-x\r\n'), admin)).toBe(true);
    expect(sshDecoder.sniff(text('Authorized users only\r\n'), router)).toBe(true);
    expect(sshDecoder.sniff(text('Authorized users only\r\n'), admin)).toBe(false);
    expect(sshDecoder.sniff(text('220 FTP ready\r\n'), { ...router, src: { ...router.src, port: 21 } })).toBe(
      false,
    );
  });

  it('yields the server identification string, binary packet after it ignored', () => {
    const out = observe(`SSH-2.0-HUAWEI-1.5\r\n${KEXINIT}`);
    expect(out.values('ssh.banner', 'src')).toEqual(['SSH-2.0-HUAWEI-1.5']);
  });

  it('yields the client identification with its comment', () => {
    const out = observe('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n', admin);
    expect(out.values('ssh.banner', 'src')).toEqual(['SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3']);
  });

  it('skips lines a server sends before its identification, and accepts 1.99 and LF-only', () => {
    const pdu = sshDecoder.decode(text('Welcome\r\nNo unauthorised access\r\nSSH-1.99-Cisco-1.25\n'), router);
    expect(pdu.preLines).toBe(2);
    expect(pdu.protoVersion).toBe('1.99');
    expect(pdu.anomalies).toEqual(['ssh.bare_lf']);
  });

  it('an identification without its line end is a TruncatedError on ident', () => {
    const err = thrown(() => sshDecoder.decode(text('SSH-2.0-Open'), router));
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('ident');
  });

  it('an identification over 255 bytes is a DecodeError on ident', () => {
    const err = thrown(() => sshDecoder.decode(text(`SSH-2.0-${'x'.repeat(260)}\r\n`), router));
    expect(err).not.toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('ident');
  });

  it.each([
    ['ident.version', 'SSH-2.0\r\n'],
    ['ident.version', 'SSH--x\r\n'],
    ['ident', 'SSH-2.0-a\x01b\r\n'],
  ])('a malformed identification is a DecodeError on %s', (field, s) => {
    expect(thrown(() => sshDecoder.decode(text(s), router)).field).toBe(field);
  });

  it('a client that sends anything before "SSH-" is a DecodeError on ident', () => {
    expect(thrown(() => sshDecoder.decode(text('hello\r\nSSH-2.0-x\r\n'), admin)).field).toBe('ident');
  });

  it('binary pre-identification lines are a DecodeError on pre_line', () => {
    expect(thrown(() => sshDecoder.decode(text('\x00\x01\x02\r\n'), router)).field).toBe('pre_line');
  });

  it('too many pre-identification lines is a DecodeError on pre_line', () => {
    expect(thrown(() => sshDecoder.decode(text('notice\r\n'.repeat(40)), router)).field).toBe('pre_line');
  });
});
