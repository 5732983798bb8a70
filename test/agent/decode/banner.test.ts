// How a "220" greeting is told to be FTP or SMTP: the text first, then the port, else nobody.
import { describe, expect, it } from 'vitest';
import { classify220 } from '../../../agent/decode/banner.js';

describe('classify220', () => {
  it('lets the text decide when it names one protocol, whatever the port', () => {
    expect(classify220('ProFTPD 1.3.5 Server (Debian) [::ffff:10.0.0.5]', 8021)).toBe('ftp');
    expect(classify220('FileZilla Server 0.9.60 beta', 25)).toBe('ftp');
    expect(classify220('mail.plant.example ESMTP Postfix (Debian/GNU)', 21)).toBe('smtp');
    expect(classify220('mx Microsoft ESMTP MAIL Service ready', 2525)).toBe('smtp');
  });

  it('lets the server port decide when the text names neither or both', () => {
    expect(classify220('Welcome', 21)).toBe('ftp');
    expect(classify220('Welcome', 587)).toBe('smtp');
    expect(classify220('smtp and ftp gateway', 25)).toBe('smtp');
    expect(classify220('smtp and ftp gateway', 2121)).toBe('ftp');
  });

  it('claims nothing when neither text nor port tells', () => {
    expect(classify220('Welcome', 10021)).toBeNull();
    expect(classify220('smtp and ftp gateway', 8080)).toBeNull();
  });
});
