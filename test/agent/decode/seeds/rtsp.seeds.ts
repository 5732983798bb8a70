// Fuzz seeds for rtsp: an OPTIONS request, a DESCRIBE response with SDP, interleaved RTP (RFC 2326).
import type { FuzzSeed } from '../helpers.js';

const t = (s: string) => Buffer.from(s, 'latin1');
const sdp = 'v=0\r\no=- 1 1 IN IP4 192.168.1.108\r\ns=Media\r\n';

export const seeds: FuzzSeed[] = [
  {
    transport: 'tcp',
    bytes: t(
      'OPTIONS rtsp://192.168.1.108:554/cam/realmonitor RTSP/1.0\r\nCSeq: 2\r\nUser-Agent: LibVLC/3.0\r\n\r\n',
    ),
  },
  {
    transport: 'tcp',
    ctx: { fromClient: false },
    bytes: Buffer.concat([
      t(
        `RTSP/1.0 200 OK\r\nCSeq: 3\r\nServer: Dahua Rtsp Server\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`,
      ),
      Buffer.from([0x24, 0x00, 0x00, 0x02, 0x80, 0x60]),
      t('RTSP/1.0 200 OK\r\nCSeq: 4\r\n\r\n'),
    ]),
  },
];
